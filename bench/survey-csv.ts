/** The benchmarks' survey CSV: shaped like examples/data/responses.csv, seeded, generated once per size. */
import { closeSync, existsSync, openSync, renameSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";

/** A survey CSV of `rows` rows like examples/data/responses.csv (seeded), generated once into `dir`. */
export function surveyCsv(dir: string, rows: number): string {
  const file = join(dir, `responses-${rows}.csv`);
  if (existsSync(file)) return file;
  const t0 = performance.now();
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w");
  const SEG = ["smb", "mid_market", "enterprise"];
  const CH = ["email", "web", "in_app", "phone", "sms", "chat"];
  const OFF = ["+00:00", "+01:00", "+02:00", "-05:00", "+05:30"];
  let x = 123456789;
  const rnd = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
  const base = Date.UTC(2025, 0, 1);
  const pad = (v: number) => (v < 10 ? `0${v}` : `${v}`);
  let buf =
    "response_id,submitted_at,segment,channel,nps,csat,ces,driver_quality,driver_support,driver_value,driver_ease,driver_speed\n";
  for (let i = 0; i < rows; i++) {
    const t = new Date(base + Math.floor(rnd() * 365 * 86400) * 1000);
    const at = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}${OFF[i % 5]}`;
    const nps = Math.floor(rnd() * 11);
    const csat = rnd() < 0.1 ? "" : 1 + Math.floor(rnd() * 5);
    const ces = rnd() < 0.2 ? "" : 1 + Math.floor(rnd() * 7);
    buf += `S${i},${at},${SEG[i % 3]},${CH[i % 6]},${nps},${csat},${ces},${1 + (i % 5)},${1 + ((i >> 1) % 5)},${1 + ((i >> 2) % 5)},${1 + ((i >> 3) % 5)},${1 + ((i >> 4) % 5)}\n`;
    if (buf.length > 1 << 20) {
      writeSync(fd, buf);
      buf = "";
    }
  }
  writeSync(fd, buf);
  closeSync(fd);
  renameSync(tmp, file);
  console.log(
    `generated ${file} (${(statSync(file).size / 2 ** 20).toFixed(0)} MiB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  return file;
}
