import { afterAll, beforeAll, describe, it } from 'vitest';
import { CASES, type ContractCase } from './cases.ts';
import { closeContractTargets, contractTargets, missingRealModel, type RunningTarget, type TargetSpec } from './targets.ts';

// One Bedrock contract (cases.ts), every transport: the same rows over HTTP/2, HTTP/1.1, msw and,
// opt-in, real Bedrock. A row a target cannot run is listed as skipped with the reason in its title.
const targets = await contractTargets();
afterAll(() => closeContractTargets());

function skipReason(target: TargetSpec, row: ContractCase): string | undefined {
  if (target.real) return row.mockOnly ?? missingRealModel(row.needs.model);
  return row.mockGap ? `mock gap: ${row.mockGap}` : undefined;
}

for (const target of targets) {
  const title = target.skip ? `${target.name} (skipped: ${target.skip})` : target.name;
  (target.skip ? describe.skip : describe)(`Bedrock contract: ${title}`, () => {
    let running: RunningTarget | undefined;
    beforeAll(async () => {
      running = await target.start();
    });
    afterAll(() => running?.stop());

    for (const row of CASES) {
      const reason = skipReason(target, row);
      if (reason) it.skip(`${row.name} (skipped: ${reason})`, () => undefined);
      else it(row.name, () => row.run(running!.target));
    }
  });
}
