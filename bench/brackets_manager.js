// brackets-manager.js on the same competitions as bench/engine.py: a double elimination of N entries whose grand
// final has a reset, created and every match played as it becomes ready, in memory (brackets-memory-db).
// Run by bench/engine.py, which installs brackets-manager 1.11.1 and brackets-memory-db into .cache/bench-node/.
//
//   node bench/brackets_manager.js <node_modules dir> <repeat> <entries> [<entries> ...]
//
// Prints one JSON line per size: {"entries": N, "matches": .., "played": .., "cpu_ms": .., "wall_ms": ..}, the median
// over <repeat> runs of the CPU time (process.cpuUsage, user + system) and wall time of creating and playing it.
"use strict";
const path = require("path");

const modules = path.resolve(process.argv[2]);
const { BracketsManager } = require(path.join(modules, "brackets-manager"));
const { InMemoryDatabase } = require(path.join(modules, "brackets-memory-db"));

const READY = 2; // brackets-model Status.Ready
const COMPLETED = 4;

function random(seed) {
  // mulberry32: a fixed seed plays the same competition every run
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function run(entries) {
  const storage = new InMemoryDatabase();
  const manager = new BracketsManager(storage);
  const rng = random(2026);
  const startedCpu = process.cpuUsage();
  const startedWall = process.hrtime.bigint();
  const seeding = Array.from({ length: entries }, (_, i) => `选手${String(i).padStart(4, "0")}`);
  const stage = await manager.create.stage({
    tournamentId: 0,
    name: "双败淘汰",
    type: "double_elimination",
    seeding,
    settings: { grandFinal: "double" },
  });
  let played = 0;
  for (;;) {
    const matches = await storage.select("match", { stage_id: stage.id });
    const ready = matches.filter((match) => match.status === READY);
    if (ready.length === 0) break;
    for (const match of ready) {
      const home = rng() < 0.6;
      const [first, second] = home ? [2, rng() < 0.5 ? 0 : 1] : [rng() < 0.5 ? 0 : 1, 2];
      await manager.update.match({
        id: match.id,
        opponent1: { score: first, result: home ? "win" : "loss" },
        opponent2: { score: second, result: home ? "loss" : "win" },
      });
      played += 1;
    }
  }
  const cpu = process.cpuUsage(startedCpu);
  const wallMs = Number(process.hrtime.bigint() - startedWall) / 1e6;
  const all = await storage.select("match", { stage_id: stage.id });
  const done = all.filter((match) => match.status >= COMPLETED).length;
  if (done !== played) throw new Error(`played ${played} but ${done} matches are completed`);
  return { entries, matches: all.length, played, cpu_ms: (cpu.user + cpu.system) / 1000, wall_ms: wallMs };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

(async () => {
  const repeat = Math.max(1, Number(process.argv[3]));
  for (const size of process.argv.slice(4)) {
    const runs = [];
    for (let i = 0; i < repeat; i += 1) runs.push(await run(Number(size)));
    const { entries, matches, played } = runs[0];
    const cpuMs = median(runs.map((r) => r.cpu_ms));
    const wallMs = median(runs.map((r) => r.wall_ms));
    console.log(JSON.stringify({ entries, matches, played, cpu_ms: cpuMs, wall_ms: wallMs }));
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
