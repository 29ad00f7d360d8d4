// GPU: the latest successful gpu_report as bars per GPU (utilisation, memory in use, temperature) and
// per container (GPU memory), its hotspots, and the trend over the earlier successful runs.
import { Elysia } from 'elysia';
import type { AppDeps } from '../../../app.ts';
import * as runs from '../../../service/runs.ts';
import { ColumnChart, RowChart, type Bar } from '../charts.tsx';
import { countOf, Empty, StatusBadge, When } from '../components.tsx';
import { can, CsrfField, htmlResponse, Layout, type Viewer } from '../page.tsx';
import { isObject, latestTaskArtifacts, list, num, str, strOrNull } from '../task-artifacts.ts';
import { viewerOf } from '../viewer.ts';

const TASK = 'gpu_report';
const ARTIFACT = 'gpu_report/gpu_report.json';
/** Successful runs shown in the trend, the latest included. */
const TREND_RUNS = 14;

interface Gpu {
  index: number | null;
  uuid: string | null;
  name: string | null;
  util: number | null;
  memUtil: number | null;
  memTotal: number | null;
  memUsed: number | null;
  temp: number | null;
  power: number | null;
  powerLimit: number | null;
}

interface ContainerUse {
  container: string;
  vram: number | null;
  gpus: string[];
  processes: { pid: number | null; name: string | null; mib: number | null }[];
}

interface Report {
  generatedAt: string | null;
  source: string;
  noneReason: string | null;
  attempts: { source: string; outcome: string; detail: string }[];
  gpus: Gpu[];
  containers: ContainerUse[];
  unattributed: { vram: number | null; processes: number };
  thresholds: { util: number; mem: number; temp: number };
  hotspots: { gpu: number | null; metric: string; value: number | null; threshold: number | null }[];
}

/** gpu_report.json read back defensively: entries of the wrong shape are dropped. */
function readReport(raw: unknown): Report | null {
  if (!isObject(raw) || !Array.isArray(raw.gpus)) return null;
  const attribution = isObject(raw.attribution) ? raw.attribution : {};
  const unattributed = isObject(attribution.unattributed) ? attribution.unattributed : {};
  const t = isObject(raw.thresholds) ? raw.thresholds : {};
  return {
    generatedAt: strOrNull(raw.generated_at),
    source: str(raw.source, 'unknown'),
    noneReason: strOrNull(raw.none_reason),
    attempts: list(raw.attempts)
      .filter(isObject)
      .map((a) => ({ source: str(a.source), outcome: str(a.outcome), detail: str(a.detail) })),
    gpus: list(raw.gpus)
      .filter(isObject)
      .map((g) => ({
        index: num(g.index),
        uuid: strOrNull(g.uuid),
        name: strOrNull(g.name),
        util: num(g.utilization_gpu_pct),
        memUtil: num(g.utilization_memory_pct),
        memTotal: num(g.memory_total_mib),
        memUsed: num(g.memory_used_mib),
        temp: num(g.temperature_c),
        power: num(g.power_draw_w),
        powerLimit: num(g.power_limit_w),
      })),
    containers: list(attribution.containers)
      .filter(isObject)
      .map((c) => ({
        container: str(c.container, '?'),
        vram: num(c.vram_mib),
        gpus: list(c.gpus).filter((u): u is string => typeof u === 'string'),
        processes: list(c.processes)
          .filter(isObject)
          .map((p) => ({ pid: num(p.pid), name: strOrNull(p.process_name), mib: num(p.used_memory_mib) })),
      })),
    unattributed: { vram: num(unattributed.vram_mib), processes: list(unattributed.processes).length },
    thresholds: { util: num(t.utilization_pct) ?? 80, mem: num(t.memory_pct) ?? 90, temp: num(t.temperature_c) ?? 85 },
    hotspots: list(raw.hotspots)
      .filter(isObject)
      .map((h) => ({ gpu: num(h.gpu_index), metric: str(h.metric), value: num(h.value), threshold: num(h.threshold) })),
  };
}

const memPct = (g: Gpu): number | null => (g.memUsed === null || !g.memTotal ? null : Math.round((g.memUsed / g.memTotal) * 1000) / 10);
const n = (v: number | null, unit = '') => (v === null ? 'n/a' : `${v}${unit}`);
const gpuName = (g: Gpu) => `GPU ${g.index ?? '?'}${g.name ? `: ${g.name}` : ''}`;
const maxOf = (values: (number | null)[]): number | null => {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? Math.max(...known) : null;
};

function RunNow(props: { viewer: Viewer; deps: AppDeps }): JSX.Element {
  if (!can(props.viewer, 'operate') || !props.deps.tasks.get(TASK)) return '';
  return (
    <form method="post" action="/runs" class="inline">
      <CsrfField viewer={props.viewer} />
      <input type="hidden" name="tasks" value={TASK} />
      <button type="submit" aria-label="Run the GPU report now">
        Run now
      </button>
    </form>
  );
}

function GpuBars(props: { gpu: Gpu; report: Report }): JSX.Element {
  const { gpu: g, report } = props;
  const mem = memPct(g);
  const bars: Bar[] = [];
  if (g.util !== null) bars.push({ label: 'utilisation', value: g.util, unit: ' %', hot: g.util >= report.thresholds.util });
  if (mem !== null) bars.push({ label: 'memory in use', value: mem, unit: ' %', hot: mem >= report.thresholds.mem, title: `memory in use: ${g.memUsed} of ${g.memTotal} MiB (${mem} %)` });
  if (g.temp !== null) bars.push({ label: 'temperature', value: g.temp, unit: ' °C', hot: g.temp >= report.thresholds.temp });
  if (g.power !== null && g.powerLimit) {
    const pct = Math.round((g.power / g.powerLimit) * 1000) / 10;
    bars.push({ label: 'power of limit', value: pct, unit: ' %', title: `power: ${g.power} of ${g.powerLimit} W (${pct} %)` });
  }
  return (
    <div class="card gpu">
      <h3 safe>{gpuName(g)}</h3>
      {bars.length ? <RowChart title={`${gpuName(g)}: utilisation, memory, temperature`} bars={bars} max={100} /> : <Empty>nvidia-smi gave no figures for this GPU.</Empty>}
      <p class="muted" safe>
        {`Memory ${n(g.memUsed)} / ${n(g.memTotal)} MiB · power ${n(g.power)} / ${n(g.powerLimit)} W${g.uuid ? ` · ${g.uuid}` : ''}`}
      </p>
    </div>
  );
}

function ReportView(props: { report: Report; runId: number; trend: { runId: number; report: Report }[] }): JSX.Element {
  const { report } = props;
  const containerBars: Bar[] = report.containers.map((c) => ({ label: c.container, value: c.vram ?? 0, title: `${c.container}: ${c.vram === null ? 'memory not reported' : `${c.vram} MiB`}` }));
  if (report.unattributed.processes > 0) containerBars.push({ label: '(not in an allowlisted container)', value: report.unattributed.vram ?? 0 });
  const trend = [...props.trend].reverse(); // oldest first
  const peak = trend.map((t) => ({
    runId: t.runId,
    at: t.report.generatedAt,
    util: maxOf(t.report.gpus.map((g) => g.util)),
    mem: maxOf(t.report.gpus.map(memPct)),
    temp: maxOf(t.report.gpus.map((g) => g.temp)),
  }));
  return (
    <>
      <p class="muted">
        <span safe>{`Source ${report.source}, taken `}</span>
        <When at={report.generatedAt} />
        {', from '}
        <a href={`/runs/${props.runId}`} safe>{`run #${props.runId}`}</a>
        {'.'}
      </p>
      <section aria-labelledby="gpus">
        <h2 id="gpus">GPUs</h2>
        {report.gpus.length === 0 ? (
          <>
            <p safe>{`No GPU figures: ${report.noneReason ?? 'no source answered'}.`}</p>
            <table>
              <thead>
                <tr>
                  <th scope="col">Source</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Detail</th>
                </tr>
              </thead>
              <tbody>
                {report.attempts.map((a) => (
                  <tr>
                    <td safe>{a.source}</td>
                    <td safe>{a.outcome}</td>
                    <td safe>{a.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : (
          <>
            <div class="grid">
              {report.gpus.map((g) => (
                <GpuBars gpu={g} report={report} />
              ))}
            </div>
            <table>
              <thead>
                <tr>
                  <th scope="col">GPU</th>
                  <th scope="col" class="num">Utilisation</th>
                  <th scope="col" class="num">Memory in use</th>
                  <th scope="col" class="num">Temperature</th>
                  <th scope="col" class="num">Power</th>
                </tr>
              </thead>
              <tbody>
                {report.gpus.map((g) => (
                  <tr>
                    <td safe>{gpuName(g)}</td>
                    <td class="num" safe>{n(g.util, ' %')}</td>
                    <td class="num" safe>{`${n(memPct(g), ' %')} (${n(g.memUsed)} / ${n(g.memTotal)} MiB)`}</td>
                    <td class="num" safe>{n(g.temp, ' °C')}</td>
                    <td class="num" safe>{`${n(g.power)} / ${n(g.powerLimit)} W`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
      <section aria-labelledby="per-container">
        <h2 id="per-container">GPU memory per container</h2>
        {containerBars.length === 0 ? (
          <Empty>No compute process on the GPUs belongs to an allowlisted container.</Empty>
        ) : (
          <>
            <RowChart title="GPU memory per container" bars={containerBars} unit=" MiB" />
            <table>
              <thead>
                <tr>
                  <th scope="col">Container</th>
                  <th scope="col" class="num">GPU memory</th>
                  <th scope="col">GPUs</th>
                  <th scope="col">Processes</th>
                </tr>
              </thead>
              <tbody>
                {report.containers.map((c) => (
                  <tr>
                    <td safe>{c.container}</td>
                    <td class="num" safe>{n(c.vram, ' MiB')}</td>
                    <td safe>{c.gpus.join(', ')}</td>
                    <td safe>{c.processes.map((p) => `${p.pid ?? '?'} ${p.name ?? '?'}${p.mib === null ? '' : ` (${p.mib} MiB)`}`).join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {report.unattributed.processes > 0 ? (
              <p class="muted" safe>
                {`${countOf(report.unattributed.processes, 'process', 'processes')} using ${n(report.unattributed.vram, ' MiB')} on the GPUs: not in an allowlisted container, or on the host.`}
              </p>
            ) : (
              ''
            )}
          </>
        )}
      </section>
      <section aria-labelledby="hotspots">
        <h2 id="hotspots">Hotspots</h2>
        {report.hotspots.length === 0 ? (
          <Empty>
            <span safe>{`None (utilisation ≥ ${report.thresholds.util} %, memory ≥ ${report.thresholds.mem} %, temperature ≥ ${report.thresholds.temp} °C).`}</span>
          </Empty>
        ) : (
          <ul>
            {report.hotspots.map((h) => (
              <li class="bad" safe>
                {`GPU ${h.gpu ?? '?'}: ${h.metric} ${n(h.value)} at or above ${n(h.threshold)}`}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="trend">
        <h2 id="trend">Trend</h2>
        {peak.length < 2 ? (
          <Empty>No earlier successful GPU report to compare with.</Empty>
        ) : (
          <>
            <p class="muted" safe>{`The last ${peak.length} successful GPU reports, oldest first; each bar is the busiest GPU of that run.`}</p>
            <h3>Peak utilisation (%)</h3>
            <ColumnChart
              title="Peak GPU utilisation per run"
              unit=" %"
              bars={peak.map((p) => ({ label: `#${p.runId}`, value: p.util ?? 0, hot: (p.util ?? 0) >= report.thresholds.util, title: `run #${p.runId}: ${n(p.util, ' %')}` }))}
            />
            <h3>Peak memory in use (%)</h3>
            <ColumnChart
              title="Peak GPU memory in use per run"
              unit=" %"
              bars={peak.map((p) => ({ label: `#${p.runId}`, value: p.mem ?? 0, hot: (p.mem ?? 0) >= report.thresholds.mem, title: `run #${p.runId}: ${n(p.mem, ' %')}` }))}
            />
            <table>
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  <th scope="col">Taken</th>
                  <th scope="col" class="num">Peak utilisation</th>
                  <th scope="col" class="num">Peak memory in use</th>
                  <th scope="col" class="num">Hottest</th>
                </tr>
              </thead>
              <tbody>
                {peak.map((p) => (
                  <tr>
                    <td>
                      <a href={`/runs/${p.runId}`} safe>{`#${p.runId}`}</a>
                    </td>
                    <td>
                      <When at={p.at} />
                    </td>
                    <td class="num" safe>{n(p.util, ' %')}</td>
                    <td class="num" safe>{n(p.mem, ' %')}</td>
                    <td class="num" safe>{n(p.temp, ' °C')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
    </>
  );
}

export function gpuPages(deps: AppDeps) {
  const ctx: Pick<runs.RunsCtx, 'db' | 'logsDir'> = { db: deps.db, logsDir: deps.config.logsDir };
  return new Elysia().get(
    '/gpu',
    async (c) => {
      const viewer = viewerOf(c, deps.config);
      const { found, newest } = await latestTaskArtifacts(ctx, TASK, ARTIFACT, TREND_RUNS);
      const reports = found.flatMap((f) => {
        const report = readReport(f.data);
        return report ? [{ runId: f.runId, report }] : [];
      });
      const latest = reports[0];
      return htmlResponse(
        <Layout title="GPU" active="/gpu" viewer={viewer}>
          <h1>GPU</h1>
          <RunNow viewer={viewer} deps={deps} />
          {newest && newest.id !== latest?.runId ? (
            <p class="muted">
              {'The newest GPU report run, '}
              <a href={`/runs/${newest.id}`} safe>{`#${newest.id}`}</a>
              {', is '}
              <StatusBadge status={newest.status} runId={newest.id} />
              {latest ? '; the report below is the latest that succeeded.' : '.'}
            </p>
          ) : (
            ''
          )}
          {latest ? <ReportView report={latest.report} runId={latest.runId} trend={reports} /> : <Empty>No GPU report yet. Run the GPU report task to see the GPUs here.</Empty>}
        </Layout>,
      );
    },
    { detail: { summary: 'Web UI: the latest GPU report as bars per GPU and per container, with the trend', tags: ['web'] } },
  );
}
