/** The webhook as a mountable Express router (Node-RED's `RED.httpNode`, or our own server's app). */
import express, { type Router } from 'express';
import { reply, WebhookEndpoint } from './endpoint';
import { checkListenerOptions } from './listenerOptions';
import type { WebhookListenerOptions } from './types';

/** The webhook as a router to mount anywhere (`app.use(router)`, Node-RED `RED.httpNode.use(router)`). */
export function createWebhookRouter(opts: WebhookListenerOptions): Router {
  return webhookRouterOf(new WebhookEndpoint(checkListenerOptions(opts)));
}

/** The Express routes of an endpoint: the notification POST, its health check, 405 for other methods. */
export function webhookRouterOf(endpoint: WebhookEndpoint): Router {
  const { path } = endpoint.settings;
  const router = express.Router();
  router.get(`${path}/health`, (_req, res) => endpoint.health(res));
  router.post(path, (req, res) => endpoint.post(req, res));
  router.all(path, (_req, res) => {
    reply(res, 405, { error: `this endpoint takes notifications POSTed by Stellantis; health check at ${path}/health` }, { Allow: 'POST' });
  });
  return router;
}
