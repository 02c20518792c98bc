export { runDoctor, doctorChecks, DOCTOR_CHECKS } from './runDoctor';
export { formatCheck, formatReport, formatSummary } from './format';
export type { DoctorCalls, DoctorCheck, DoctorCheckId, DoctorOptions, DoctorReport } from './types';
