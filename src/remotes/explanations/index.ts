/**
 * The explanations in the languages of the faces that show them to a person (the Homebridge settings
 * page, the Node-RED editor). Logs stay English: they use ../explanations.ts directly.
 */
import { ENGLISH } from '../explanations';
import { DE } from './de';
import { ES } from './es';
import { FR } from './fr';
import { IT } from './it';
import { NL } from './nl';
import type { Explanation, ExplanationTable } from './table';

export type { Explanation, ExplanationTable } from './table';

export const EXPLANATION_LANGUAGES = ['en', 'fr', 'de', 'it', 'es', 'nl'] as const;
export type ExplanationLanguage = (typeof EXPLANATION_LANGUAGES)[number];

export const EXPLANATION_TABLES: Record<ExplanationLanguage, ExplanationTable> = { en: ENGLISH, fr: FR, de: DE, it: IT, es: ES, nl: NL };

/** 'fr', 'fr-FR', 'fr_BE.UTF-8' → 'fr'; anything else (or nothing) → 'en'. */
export function explanationLanguage(lang: string | undefined): ExplanationLanguage {
  const base = (lang ?? '').toLowerCase().split(/[-_.]/)[0];
  return (EXPLANATION_LANGUAGES as readonly string[]).includes(base) ? (base as ExplanationLanguage) : 'en';
}

const has = (record: object, key: string): boolean => Object.prototype.hasOwnProperty.call(record, key);

/** The plain words of a failure cause in `lang` (English when the language is not one of ours). */
export function explainFailureIn(lang: string | undefined, cause: string | undefined): Explanation {
  const table = EXPLANATION_TABLES[explanationLanguage(lang)];
  if (cause !== undefined && has(table.failure, cause)) return table.failure[cause as keyof ExplanationTable['failure']];
  return { text: cause ? table.unknownCause(cause) : table.noReason, whatToDo: table.tryLater };
}

/** The plain words of a pending status in `lang`. */
export function explainPendingIn(lang: string | undefined, status: string): Explanation {
  const table = EXPLANATION_TABLES[explanationLanguage(lang)];
  if (has(table.pending, status)) return table.pending[status as keyof ExplanationTable['pending']];
  return { text: table.inProgress(status), whatToDo: '' };
}
