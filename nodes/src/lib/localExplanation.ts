/**
 * The explanation of an end in the runtime language, for the person reading the debug sidebar
 * (`msg.payload.explanationLocal`): an official failure cause in that language's words
 * (src/remotes/explanations/<lang>.ts); a reason of our own (no answer, stopped, ...) stays English.
 * `msg.payload.explanation` itself stays English: flows may match it, and the logs say it that way.
 */
import type { RemoteEnd } from '../../../src/engine/types';
import { sentence } from '../../../src/remotes/explanations';
import { explainFailureIn } from '../../../src/remotes/explanations/index';
import { FAILURE_CAUSES } from '../../../src/stellantis/wire';
import { t } from './i18n';

export function localExplanation(end: RemoteEnd): string | undefined {
  const cause = end.failureCause === undefined ? undefined : String(end.failureCause);
  if (cause === undefined || !(FAILURE_CAUSES as readonly string[]).includes(cause)) return end.explanation;
  return sentence(explainFailureIn(t('lang'), cause));
}
