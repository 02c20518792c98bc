import { strict as assert } from 'node:assert';
import { checkAllowed, flag, numberOption, parseArgs, stringOption } from '../../src/cli/args';
import { UsageError } from '../../src/cli/errors';
import { formatAge, formatVehicleState } from '../../src/cli/formatState';
import { parseSendAction, SEND_ACTION_NAMES } from '../../src/cli/sendActions';
import { readVehicleStatus } from '../../src/stellantis/vehicleState';

const SPEC = { config: 'string', debug: 'boolean', help: 'boolean', slot: 'string', wait: 'boolean' } as const;

describe('cli argument parsing', () => {
  it('reads --name value, --name=value, booleans, -h, and keeps positionals in order', () => {
    const a = parseArgs(['send', '--config', 'c.json', 'Zoe', '--wait', 'navigate', '--slot=3', '-h'], SPEC);
    assert.deepEqual(a.positionals, ['send', 'Zoe', 'navigate']);
    assert.equal(stringOption(a, 'config'), 'c.json');
    assert.equal(stringOption(a, 'slot'), '3');
    assert.equal(flag(a, 'wait'), true);
    assert.equal(flag(a, 'help'), true);
    assert.equal(flag(a, 'debug'), false);
  });

  it('negative coordinates and everything after -- are positionals', () => {
    const a = parseArgs(['navigate', '-33.8568,151.2153', '-.5,2', '--', '--wait'], SPEC);
    assert.deepEqual(a.positionals, ['navigate', '-33.8568,151.2153', '-.5,2', '--wait']);
    assert.equal(flag(a, 'wait'), false);
  });

  it('rejects unknown options, missing values and values on flags as usage errors', () => {
    assert.throws(() => parseArgs(['--colour'], SPEC), (e: unknown) => e instanceof UsageError && /unknown option --colour/.test(e.message));
    assert.throws(() => parseArgs(['-x'], SPEC), /unknown option -x/);
    assert.throws(() => parseArgs(['--config'], SPEC), /--config needs a value/);
    assert.throws(() => parseArgs(['--config', '--wait'], SPEC), /--config needs a value/);
    assert.throws(() => parseArgs(['--config='], SPEC), /--config needs a value/);
    assert.throws(() => parseArgs(['--wait=yes'], SPEC), /--wait takes no value/);
  });

  it('numbers: range and integer checks name the option', () => {
    const a = parseArgs(['--slot', '2.5'], SPEC);
    assert.equal(numberOption(a, 'slot'), 2.5);
    assert.throws(() => numberOption(a, 'slot', { integer: true }), /--slot: '2\.5' is not a whole number/);
    assert.throws(() => numberOption(parseArgs(['--slot', '9'], SPEC), 'slot', { min: 1, max: 4 }), /between 1 and 4/);
    assert.throws(() => numberOption(parseArgs(['--slot', 'x'], SPEC), 'slot'), /'x' is not a number/);
    assert.equal(numberOption(parseArgs([], SPEC), 'slot'), undefined);
  });

  it('checkAllowed refuses an option the command does not take', () => {
    const a = parseArgs(['--wait'], SPEC);
    assert.throws(() => checkAllowed(a, ['config'], 'vehicles'), /--wait is not an option of 'vehicles'/);
    assert.doesNotThrow(() => checkAllowed(a, ['wait'], 'send'));
  });
});

describe('cli action words', () => {
  const p = { params: [] as string[], disabled: false };
  it('maps every word to a RemoteAction', () => {
    assert.deepEqual(parseSendAction('lock', p), { kind: 'lock' });
    assert.deepEqual(parseSendAction('mobilize', p), { kind: 'immobilize', on: false });
    assert.deepEqual(parseSendAction('stolen-on', p), { kind: 'stolen', on: true });
    assert.deepEqual(parseSendAction('charge-at', { ...p, params: ['07:00'] }), { kind: 'charge-at', at: '07:00' });
    assert.deepEqual(parseSendAction('navigate', { ...p, params: ['1.5,-2', '-3,4'] }), {
      kind: 'navigate',
      points: [
        { lat: 1.5, lon: -2 },
        { lat: -3, lon: 4 },
      ],
    });
    assert.deepEqual(parseSendAction('program-set', { ...p, slot: 1, days: 'sat,SUN', start: 'PT8H', disabled: true }), {
      kind: 'precondition-programs',
      set: [{ slot: 1, days: ['Sat', 'Sun'], start: 'PT8H', enabled: false }],
    });
    assert.equal(SEND_ACTION_NAMES.length, 17);
    for (const name of SEND_ACTION_NAMES) assert.match(name, /^[a-z-]+$/);
  });

  it('refuses malformed input with a usage error naming it', () => {
    assert.throws(() => parseSendAction('toString', p), /unknown action 'toString'/);
    assert.throws(() => parseSendAction('navigate', { ...p, params: ['1,2,3'] }), /'1,2,3' is not a lat,lon pair/);
    assert.throws(() => parseSendAction('navigate', { ...p, params: [',2'] }), /',2' is not a lat,lon pair/);
    assert.throws(() => parseSendAction('horn', { ...p, params: ['loud'] }), /horn takes no value/);
    assert.throws(() => parseSendAction('program-delete', { ...p, params: ['1'] }), /program-delete takes no value/);
  });
});

describe('cli status text', () => {
  it('ages in plain words', () => {
    assert.equal(formatAge(undefined), '');
    assert.equal(formatAge(4_000), '4 s ago');
    assert.equal(formatAge(5 * 60_000), '5 min ago');
    assert.equal(formatAge(5 * 3600_000), '5 h ago');
    assert.equal(formatAge(3 * 86400_000), '3 days ago');
  });

  it('an empty status says so; a sparse one shows only what is known', () => {
    assert.deepEqual(formatVehicleState(readVehicleStatus({})), ['Status: the car sent no data yet']);
    const now = new Date('2025-01-01T12:00:00Z');
    const lines = formatVehicleState(
      readVehicleStatus(
        {
          updatedAt: '2025-01-01T11:50:00Z',
          energies: [{ type: 'Electric', level: 80, autonomy: 250, createdAt: '2025-01-01T11:00:00Z', extension: { electric: { charging: { plugged: true, status: 'InProgress', remainingTime: 'PT1H30M' } } } }],
        },
        now,
      ),
      now,
    );
    assert.ok(lines.some((l) => /^Battery:\s+80 %, 250 km range {2}\(60 min ago\)$/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /^Charging:\s+plugged in, InProgress, 1 h 30 min to full/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /^Updated:\s+2025-01-01T11:50:00Z {2}\(10 min ago\)$/.test(l)));
    assert.ok(!lines.some((l) => l.startsWith('Doors')));
  });
});
