/** Writes the generated docs (see scripts/statusesDoc.ts). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderStatusesDoc } from './statusesDoc';

const target = path.join(__dirname, '..', 'docs', 'statuses.md');
fs.writeFileSync(target, renderStatusesDoc());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
