// The etcd storage backend's public surface: the factory and the class.
export { EtcdBackend, openEtcdBackend, type EtcdBackendOptions } from './backend.js';
