/** The report as text: one ✔ / ✖ / – line per check, its detail indented, and the fix for failures. */
import type { DoctorCheck, DoctorReport } from './types';

const MARK = { pass: '✔', fail: '✖', skip: '–' } as const;

export function formatCheck(check: DoctorCheck): string {
  const mark = check.ok === true ? MARK.pass : check.ok === false ? MARK.fail : MARK.skip;
  const lines = [`${mark} ${check.title}`];
  for (const line of check.detail.split('\n')) lines.push(`    ${line}`);
  if (check.ok === false && check.fix) lines.push(`    fix: ${check.fix}`);
  return lines.join('\n');
}

export function formatSummary(report: DoctorReport): string {
  const failed = report.checks.filter((c) => c.ok === false).length;
  const calls = `${report.calls.token} token request(s), ${report.calls.api} API call(s), no remote sent`;
  return failed === 0 ? `All checks passed (${calls}).` : `${failed} check(s) failed (${calls}).`;
}

export function formatReport(report: DoctorReport): string {
  return [...report.checks.map(formatCheck), '', formatSummary(report)].join('\n');
}
