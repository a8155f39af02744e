export {
  attemptDelivery,
  disableFailingWebhook,
  listWebhookDeliveries,
  pingWebhook,
  redeliverWebhook,
  retryDelayMs,
  signingSecrets,
  toDeliveryDto,
} from "./deliveries.ts";
export {
  createWebhook,
  deleteWebhook,
  listWebhooks,
  rotateWebhookSecret as rotateOutboundWebhookSecret,
  toWebhookDto,
  updateWebhook,
} from "./endpoints.ts";
export {
  type AttemptResult,
  DEFAULT_WEBHOOK_NETWORK,
  isPublicAddress,
  postWebhook,
  type ResolvedAddress,
  type Resolver,
  signatureHeaders,
  systemResolver,
  UnsafeAddress,
  vetAddress,
  type WebhookNetwork,
} from "./network.ts";
export { pingBody, unplacedTaskIds, WEBHOOK_VISIBILITIES, wantsEvent, webhookBody } from "./payload.ts";
