export { createWebhookRouter } from './router';
export { startWebhookServer } from './server';
export { generateWebhookSecret } from './secret';
export { DEFAULT_SECRET_HEADER, DEFAULT_BODY_LIMIT } from './listenerOptions';
export type {
  AuthFailureLimit,
  RunningWebhookServer,
  WebhookDeliveryMeta,
  WebhookListenerOptions,
  WebhookServerOptions,
  WebhookSink,
} from './types';
