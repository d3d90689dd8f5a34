// Discovery of the served resources, and a REST mapper over it.

export { ResourceMapper, discoverResources, groupVersionOf, parseApiVersion, type DiscoveredResource, type DiscoveryResult } from './discovery.js';
