/**
 * The wake-up budgets as the engine persisted them (its wake-ups file), for the faces that run
 * without a started account (doctor, CLI status, settings page): a file read, never an API call.
 */
import type { ResolvedAccountConfig } from '../config/validate';
import { DEFAULT_WAKE_UP_GUARD, WakeUpGuard } from '../remotes/wakeUpGuard';
import type { WakeUpBudget } from '../remotes/wakeUpBudget';
import { accountKeyOf, storageFile } from './storageFiles';

export { BUDGET_CAVEAT, describeWakeUpBudget, type WakeUpBudget } from '../remotes/wakeUpBudget';

export interface SavedWakeUpBudgets {
  budgetOf(vehicleId: string): WakeUpBudget;
  /** Set when the file could not be read (the budgets then start from zero). */
  problem?: string;
  file: string;
}

export async function readSavedWakeUpBudgets(
  storageDir: string,
  config: Pick<ResolvedAccountConfig, 'flavour' | 'clientId' | 'fleetId' | 'realm' | 'wakeUpsPerMonth'>,
  now?: () => number,
): Promise<SavedWakeUpBudgets> {
  const file = storageFile(storageDir, 'wake-ups', accountKeyOf(config));
  const guard = new WakeUpGuard({ ...DEFAULT_WAKE_UP_GUARD, perMonth: config.wakeUpsPerMonth, path: file, now });
  const problem = await guard.load();
  return { budgetOf: (id) => guard.budgetOf(id), file, ...(problem ? { problem } : {}) };
}

/**
 * A refresh the CLI sent on its own (no account running here): counted in the file. A plugin
 * running at the same time keeps its own count in memory and may write over this one.
 */
export async function recordSavedRefresh(
  storageDir: string,
  config: Pick<ResolvedAccountConfig, 'flavour' | 'clientId' | 'fleetId' | 'realm' | 'wakeUpsPerMonth'>,
  vehicleId: string,
): Promise<void> {
  const guard = new WakeUpGuard({ ...DEFAULT_WAKE_UP_GUARD, perMonth: config.wakeUpsPerMonth, path: storageFile(storageDir, 'wake-ups', accountKeyOf(config)) });
  await guard.load();
  guard.record(vehicleId);
  await guard.flush();
}
