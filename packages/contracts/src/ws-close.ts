/** Close codes the hub uses besides the standard ones (1001 going away, 1008, 1009). */
export const WS_CLOSE = {
  policyViolation: 1008,
  messageTooBig: 1009,
  heartbeatTimeout: 4408,
  membershipRevoked: 4403,
  /** The session the socket was opened with ended (sign-out or revocation). */
  sessionEnded: 4401,
  /** The database did not answer while serving this socket: reconnect and resume with afterSeq. */
  tryAgainLater: 1013,
} as const;
