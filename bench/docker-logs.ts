// Log streaming benchmark: 1,000,000 lines from a real container, read through the gateway's line
// iterator vs `docker logs` of the same container to /dev/null, in one run. Prints per-round times,
// the median ratio (gateway / docker logs) and the gateway's peak RSS. Both sides are timed as whole
// processes (start to exit), alternating which goes first.
//   bun bench/docker-logs.ts [rounds=5] [lines=1000000]
// Needs DOCKER_HOST (or /var/run/docker.sock) and the docker CLI; the container has no network.
import { createDockerGateway } from '../src/docker/gateway.ts';
import { dockerEndpoint } from '../src/docker/client.ts';
import { dockerCli, dockerHost, ensureTestImage, removeContainers, runTestContainer } from '../tests/support/docker.ts';

const lineText = (i: number) => `${i} level=info msg="request handled" path=/api/items/${i % 977} status=200`;

if (process.argv[2] === '--child') {
  // the measured side: stream every line through the gateway, count them, report peak RSS
  const [, , , id, expected] = process.argv;
  const gateway = createDockerGateway(dockerEndpoint(dockerHost()), { decide: async () => ({ allowed: true }) });
  const started = performance.now();
  let lines = 0;
  let bytes = 0;
  for await (const line of gateway.logs(id!)) {
    lines++;
    bytes += line.text.length;
  }
  const ms = performance.now() - started;
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(await Bun.file('/proc/self/status').text())?.[1] ?? 0) / 1024;
  if (lines !== Number(expected)) throw new Error(`read ${lines} lines, expected ${expected}`);
  let want = 0; // every byte arrived: the texts' total length matches what the writer printed
  for (let i = 1; i <= lines; i++) want += lineText(i).length;
  if (bytes !== want) throw new Error(`read ${bytes} characters, expected ${want}`);
  console.log(JSON.stringify({ lines, bytes, ms, peakRssMb: hwm }));
  process.exit(0);
}

const rounds = Number(process.argv[2] ?? 5);
const total = Number(process.argv[3] ?? 1_000_000);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

ensureTestImage();
const name = `cb-bench-logs-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
// ~70-byte lines, like a typical service log line
const program = `BEGIN { for (i = 1; i <= ${total}; i++) printf "%d level=info msg=\\"request handled\\" path=/api/items/%d status=200\\n", i, i % 977 }`;
const id = runTestContainer({ name, cmd: ['awk', program] });
try {
  const wait = dockerCli(['wait', id]);
  if (wait.code !== 0 || wait.stdout.trim() !== '0') throw new Error(`log writer failed: ${wait.stderr}`);

  const dockerLogs = async () => {
    const started = performance.now();
    const p = Bun.spawn(['docker', '-H', dockerHost(), 'logs', id], {
      stdout: Bun.file('/dev/null'),
      stderr: Bun.file('/dev/null'),
    });
    if ((await p.exited) !== 0) throw new Error('docker logs failed');
    return performance.now() - started;
  };
  const gatewayLogs = async () => {
    const started = performance.now();
    const p = Bun.spawn(['bun', import.meta.path, '--child', id, String(total)], {
      stdout: 'pipe',
      stderr: 'inherit',
      env: process.env,
    });
    const out = await new Response(p.stdout).text();
    if ((await p.exited) !== 0) throw new Error('gateway reader failed');
    return { wall: performance.now() - started, ...(JSON.parse(out) as { ms: number; peakRssMb: number }) };
  };

  const ratios: number[] = [];
  const cli: number[] = [];
  const gw: number[] = [];
  const rss: number[] = [];
  await dockerLogs(); // warm the daemon's page cache once
  for (let r = 0; r < rounds; r++) {
    let d: number;
    let g: Awaited<ReturnType<typeof gatewayLogs>>;
    if (r % 2 === 0) {
      d = await dockerLogs();
      g = await gatewayLogs();
    } else {
      g = await gatewayLogs();
      d = await dockerLogs();
    }
    cli.push(d);
    gw.push(g.wall);
    rss.push(g.peakRssMb);
    ratios.push(g.wall / d);
    console.log(
      `round ${r + 1}: docker logs ${d.toFixed(0)} ms, gateway ${g.wall.toFixed(0)} ms (streaming ${g.ms.toFixed(0)} ms), ratio ${(g.wall / d).toFixed(2)}, peak RSS ${g.peakRssMb.toFixed(1)} MB`,
    );
  }
  console.log(
    `docker-logs: ${total} lines, ${rounds} rounds: median docker logs ${median(cli).toFixed(0)} ms, median gateway ${median(gw).toFixed(0)} ms, ` +
      `median ratio ${median(ratios).toFixed(2)} (target <= 1.5), median peak RSS ${median(rss).toFixed(1)} MB, max ${Math.max(...rss).toFixed(1)} MB (target < 100 MB)`,
  );
} finally {
  removeContainers([id]);
}
