// watch reads a live log after a long preamble (a training script's source dump) as diagnose reads the saved one, and never gives up on it for its length.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cli, sleep } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'losscurve-preamble-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** `lines` lines of Python, as nanoGPT prints its config and model source before training (some say "loss"). */
function pythonPreamble(lines: number): string {
  const body = [
    'class Block(nn.Module):',
    '    def __init__(self, config):',
    '        super().__init__()',
    '        self.ln_1 = LayerNorm(config.n_embd, bias=config.bias)',
    '        self.attn = CausalSelfAttention(config)',
    '    def forward(self, x):',
    '        x = x + self.attn(self.ln_1(x))  # residual',
    '        loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1)',
    '        return x, loss',
    '',
  ];
  return Array.from({ length: lines }, (_, i) => body[i % body.length]).join('\n') + '\n';
}

/** nanoGPT's training lines: an iter line per step, an eval line every 50. */
function nanoLines(steps: number): string {
  let s = 9;
  const noise = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5);
  const out: string[] = [];
  for (let i = 0; i <= steps; i++) {
    const loss = 2 + 8.9 * Math.exp(-i / 60) + 0.05 * noise();
    if (i % 50 === 0) out.push(`step ${i}: train loss ${loss.toFixed(4)}, val loss ${(loss + 0.05).toFixed(4)}`);
    out.push(`iter ${i}: loss ${loss.toFixed(4)}, time ${(120 + noise()).toFixed(2)}ms, mfu ${(30 + noise()).toFixed(2)}%`);
  }
  return out.join('\n') + '\n';
}

/** Writes `text` into watch's stdin in pieces with pauses, as a trainer prints. */
async function feed(stdin: NodeJS.WritableStream, text: string): Promise<void> {
  const lines = text.split(/(?<=\n)/);
  for (let at = 0; at < lines.length; at += 40) {
    stdin.write(lines.slice(at, at + 40).join(''));
    await sleep(1);
  }
  stdin.end();
}

test('a log after a few hundred lines of source: watch on stdin gives the report diagnose gives on the saved log', async () => {
  const log = pythonPreamble(400) + nanoLines(600);
  const saved = join(dir, 'nanogpt.log');
  writeFileSync(saved, log);
  const offline = cli(['diagnose', '--format', 'json', saved]);
  assert.equal((await offline.exit).code, 0, await offline.stderr);
  const expected = JSON.parse((await offline.stdout).toString());

  const watch = cli(['watch', '--format', 'json']);
  await feed(watch.child.stdin!, log);
  const { code } = await watch.exit;
  assert.equal(code, 0, await watch.stderr);
  const report = JSON.parse((await watch.stdout).toString());
  assert.equal(report.rows, expected.rows);
  assert.deepEqual(report.findings, expected.findings);
});

test('a preamble longer than a whole head (over 64 KiB of source): watch reads on until the log starts', async () => {
  const records = nanoLines(600);
  const log = pythonPreamble(4000) + records;
  assert.ok(log.indexOf('iter 0:') > 128 * 1024, 'the preamble is more than two heads long');
  const bare = join(dir, 'records.log');
  writeFileSync(bare, records);
  const expected = JSON.parse((await cli(['diagnose', '--format', 'json', bare]).stdout).toString());
  const watch = cli(['watch', '--tee', '--format', 'json']);
  await feed(watch.child.stdin!, log);
  const { code } = await watch.exit;
  assert.equal(code, 0, await watch.stderr);
  assert.equal((await watch.stdout).toString(), log, '--tee passed every byte');
  const stderr = await watch.stderr;
  const report = JSON.parse(stderr.slice(stderr.indexOf('{\n')));
  assert.match(report.format, /^text/);
  // the same rows and findings as the log without its preamble (lines are numbered from the top, so steps are compared, not lines)
  assert.equal(report.rows, expected.rows);
  assert.deepEqual(report.findings, expected.findings);
  assert.ok(report.findings.some((f: { pattern: string }) => f.pattern === 'good'));
});
