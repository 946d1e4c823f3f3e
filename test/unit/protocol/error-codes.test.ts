import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allErrors, errorInfo, ErrorCode, reasonOf } from '../../../src/protocol/error-codes.js';
import { Outcome } from '../../../src/core/outcomes.js';

const SEED = resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'seeds', '002-agent-bar-design.txt');

/** The table of seed 002 §3.2.8, as (code, Chinese text) pairs. */
function seedTable(): Map<number, string> {
  const text = readFileSync(SEED, 'utf8');
  const table = new Map<number, string>();
  for (const m of text.matchAll(/<add\s+ke[yv]="(-\d+)"\s+value="(.*?)"\s*\/>/g)) table.set(Number(m[1]), m[2]!);
  return table;
}

const normalise = (zh: string) => zh.replace(/[\s"“”!!]/g, '');

/**
 * What each Chinese text of the seed's table says, as the words its English text must
 * hold (every pattern must match). Written from the seed, code by code, so that an English
 * text cannot drift to another meaning (as -60's once said "not available" where the
 * seed says the phone module's operation failed).
 */
const SEED_MEANINGS: ReadonlyArray<readonly [number, string, ...RegExp[]]> = [
  [-1, 'XML 解析错误', /not well-formed/i],
  [-2, 'root tag is not "request"', /root/i, /"request"/],
  [-3, 'cmdType empty', /cmdType/, /empty/i],
  [-4, 'agentID empty', /agentID/, /empty/i],
  [-5, 'cmdType unknown', /unknown cmdType/i],
  [-6, 'do not sign in twice', /already signed in/i],
  [-7, 'agentID does not match the connection', /agentID/, /not match/i, /connection/i],
  [-8, 'agentPwd empty', /agentPwd/, /empty/i],
  [-9, 'bindExten not yes or no', /bindExten/, /yes or no/i],
  [-10, 'bindExten yes, agentExten empty', /bindExten is yes/, /agentExten is empty/],
  [-11, 'extension state wrong: is it registered?', /extension/i, /not registered/i],
  [-12, 'extension bound by another agent', /extension/i, /bound by another agent/i],
  [-13, 'initial status empty', /initStatus/, /empty/i],
  [-14, 'initial status invalid', /initStatus/, /invalid/i],
  [-15, 'target status empty', /target status/i, /empty/i],
  [-16, 'target status invalid', /target status/i, /invalid/i],
  [-17, 'cannot switch to the target status by hand', /cannot switch to the target status/i],
  [-18, 'customerNum empty', /number/i, /empty/i],
  [-19, 'customerDisplayNum empty', /display number/i, /empty/i],
  [-20, 'role lookup failed', /role/i, /not found/i],
  [-21, 'permission check failed', /permission/i],
  [-22, 'customerDisplayNum invalid', /display number/i, /invalid/i],
  [-23, 'agent not found, maybe not signed in', /not found/i, /not signed in/i],
  [-24, 'agent state wrong', /^agent status/i],
  [-25, 'agent has no bound extension', /no bound extension/i],
  [-26, 'bound extension state wrong', /bound extension/i, /not available/i],
  [-27, 'target agent state wrong', /target agent status/i],
  [-28, 'caller and callee the same', /caller and callee/i, /same/i],
  [-29, 'calling agent not found', /calling agent not found/i],
  [-30, 'called agent not found', /called agent not found/i],
  [-31, 'calling agent state wrong', /calling agent status/i],
  [-32, 'called agent state wrong', /called agent status/i],
  [-33, 'calling agent has no bound extension', /calling agent has no bound extension/i],
  [-34, 'called agent has no bound extension', /called agent has no bound extension/i],
  [-35, "calling agent's extension state wrong", /extension of the calling agent/i],
  [-36, "called agent's extension state wrong", /extension of the called agent/i],
  [-37, 'language not zh or en', /language/, /zh or en/],
  [-38, "agent's group lookup failed", /agent group/i, /not found/i],
  [-39, 'IVR number empty', /IVR number/, /empty/i],
  [-40, 'IVR number invalid', /IVR number/, /invalid/i],
  [-41, 'queue number empty', /queue number/i, /empty/i],
  [-42, 'queue number invalid', /queue number/i, /invalid/i],
  [-43, 'database query failed', /database/i, /failed/i],
  [-44, 'agent group number empty', /agent group number/i, /empty/i],
  [-45, 'agent group number list field empty', /agent group list field/i, /empty/i],
  [-46, 'agent group list empty', /agent group list/i, /empty/i],
  [-47, 'queue module pointer null', /queue module/i],
  [-48, "agent's queue list lookup failed", /queues of the agent/i, /not found/i],
  [-49, 'target agent not found, maybe not signed in', /target agent not found/i],
  [-50, 'target agent state wrong', /target agent status/i],
  [-51, 'agent not registered (no such agent)', /agent does not exist/i],
  [-52, 'agent not enabled', /not enabled/i],
  [-53, 'wrong password', /wrong password/i],
  [-54, 'signing the agent out failed', /sign the agent out/i],
  [-55, "initialising the agent's parameters failed", /initialise the agent/i],
  [-56, 'locking the extension failed', /lock the extension/i],
  [-57, 'manual callout failed', /outbound call failed/i],
  [-58, 'changing the agent status failed', /change the agent status/i],
  [-59, 'input parameter wrong', /parameter/i],
  [-60, 'phone management module operation failed', /phone module/i, /failed/i],
  [-61, 'agent group number does not exist', /agent group does not exist/i],
  [-62, 'reading the custom web sites failed', /web sites/i],
  [-63, 'IVR profile number empty', /IVR profile number/, /empty/i],
  [-64, 'IVR profile number invalid', /IVR profile number/, /invalid/i],
  [-65, 'outside-number flag empty', /outside-number flag/i, /empty/i],
  [-66, 'busy-forward outside number empty', /busy-forward/i, /empty/i],
  [-67, "target agent's state cannot be forced", /cannot be forced/i],
  [-68, 'agent belongs to no agent group', /no agent group/i],
  [-69, 'applications reached the maximum, try later', /maximum/i, /later/i],
  [-70, 'already applied', /already applied/i],
  [-71, 'approver not online, try later', /approver/i, /online/i],
  [-72, 'your agent group not found', /your agent group/i, /not found/i],
  [-73, "applicant's agent ID empty", /applicant/i, /empty/i],
  [-74, 'approval result empty', /approval result/i, /empty/i],
  [-75, 'approval already handled', /already been handled/i],
  [-76, "application's state wrong", /application/i, /state/i],
  [-77, 'agent group name empty', /agent group name/i, /empty/i],
  [-78, 'agent group leave threshold invalid', /threshold/i, /invalid/i],
  [-79, 'setting the agent group threshold failed', /set the agent group threshold/i],
  [-80, 'application or approval timed out', /timed out/i],
  [-81, 'agent call uuid empty', /agent call uuid/i, /empty/i],
  [-82, 'customer call uuid empty', /customer call uuid/i, /empty/i],
  [-83, 'web service call failed', /web service/i, /failed/i],
  [-84, 'old password wrong', /old password/i, /wrong/i],
  [-1000, 'client receive thread exited', /receive thread/i, /exited/i],
  [-1001, 'disconnected from the network', /disconnected/i],
  [-1002, 'network error', /network error/i],
  [-2000, 'system error', /internal server error/i],
  [-2001, 'system error', /internal server error/i],
];

describe('the error registry', () => {
  it('holds every code of the seed table with its Chinese text', () => {
    const seed = seedTable();
    expect(seed.size).toBeGreaterThanOrEqual(89);
    for (const [code, zh] of seed) {
      expect(normalise(errorInfo(code).zh), `code ${code}`).toBe(normalise(zh));
    }
  });

  it('says in English what the seed says in Chinese, for every code of the seed table', () => {
    const seed = seedTable();
    expect(SEED_MEANINGS.map(([code]) => code).sort((a, b) => a - b)).toEqual([...seed.keys()].sort((a, b) => a - b));
    const drifted = SEED_MEANINGS.flatMap(([code, meaning, ...words]) => {
      const en = errorInfo(code).en;
      return words.every((w) => w.test(en)) ? [] : [`${code} (${seed.get(code)}: ${meaning}): "${en}"`];
    });
    expect(drifted).toEqual([]);
  });

  it('adds its own codes only from -85 down, and every code has English and Chinese text', () => {
    const seed = seedTable();
    for (const e of allErrors()) {
      if (!seed.has(e.code) && e.code !== 0) expect(e.code).toBeLessThanOrEqual(-85);
      expect(e.en.length).toBeGreaterThan(0);
      expect(e.zh.length).toBeGreaterThan(0);
    }
  });

  it('gives a response its English reason', () => {
    expect(reasonOf(ErrorCode.NOT_SIGNED_IN)).toBe('Agent not found, not signed in');
    expect(() => errorInfo(-12345)).toThrow();
  });
});

describe('the core’s outcomes on the wire', () => {
  it('every outcome the core decides has its wire code here, under the same name and number, with both texts', () => {
    for (const [name, code] of Object.entries(Outcome)) {
      expect(ErrorCode[name as keyof typeof ErrorCode], name).toBe(code);
      expect(errorInfo(code).en, name).not.toBe('');
      expect(errorInfo(code).zh, name).not.toBe('');
    }
  });
});
