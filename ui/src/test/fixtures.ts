import type { ClusterOverview } from '../api/cluster';
import type { Profile, ProfileList } from '../api/profiles';

export const SANDBOX: Profile = {
  id: '5f0c2a4e-0000-4000-8000-000000000001',
  name: 'Local sandbox',
  bootstrapServers: '127.0.0.1:19092,127.0.0.1:29092,127.0.0.1:39092',
  securityProtocol: 'PLAINTEXT',
  saslMechanism: null,
  saslUsername: null,
  tls: { caFile: null, verifyHostname: true, clientCertFile: null, clientKeyFile: null },
  extraProperties: {},
  secretFields: [],
  environment: 'dev',
  color: '#2f9e44',
  readOnly: false,
  notes: '',
};

export const SANDBOX_LIST: ProfileList = {
  profiles: [SANDBOX],
  warning: null,
  secretStorage: { keychain: true, message: null },
  connected: [],
};

export const SANDBOX_OVERVIEW: ClusterOverview = {
  profileId: SANDBOX.id,
  clusterId: 'MkU3OEVBNTcwNTJENDM2Qk',
  controllerId: 2,
  brokers: [
    { id: 1, host: '127.0.0.1', port: 19092, rack: 'rack-a', isController: false, leaderCount: 12, replicaCount: 36 },
    { id: 2, host: '127.0.0.1', port: 29092, rack: null, isController: true, leaderCount: 1234, replicaCount: 3702 },
    { id: 3, host: '127.0.0.1', port: 39092, rack: 'rack-c', isController: false, leaderCount: 11, replicaCount: 36 },
  ],
  topicCount: 1234,
  internalTopicCount: 2,
  partitionCount: 1_200_000,
  latencyMs: 42,
};
