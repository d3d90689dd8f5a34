// Work queues for controllers (client-go's workqueue): the plain FIFO with dirty and processing
// sets, the delaying queue, the rate-limiting queue and its rate limiters, and the metrics hooks.

export { Queue, type QueueOptions } from './queue.js';
export { DelayingQueue } from './delaying-queue.js';
export { RateLimitingQueue, type RateLimitingQueueOptions } from './rate-limiting-queue.js';
export {
  BucketRateLimiter,
  DEFAULT_BASE_DELAY_MS,
  DEFAULT_BURST,
  DEFAULT_MAX_DELAY_MS,
  DEFAULT_QPS,
  ItemExponentialFailureRateLimiter,
  ItemFastSlowRateLimiter,
  MaxOfRateLimiter,
  defaultControllerRateLimiter,
  type RateLimiter,
} from './rate-limiter.js';
export { TokenBucket } from '../../util/token-bucket.js';
export {
  noopMetricsProvider,
  type CounterMetric,
  type GaugeMetric,
  type HistogramMetric,
  type MetricsProvider,
  type SettableGaugeMetric,
} from './metrics.js';
