export { type PrivateCluster, startPrivateCluster } from "./private-cluster.ts";
