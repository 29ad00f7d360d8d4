// The GPU page's report: bars per GPU and per container, hotspots and the trend.
import type * as gpu from '../../../../service/gpu.ts';
import { ColumnChart, RowChart, type Bar } from '../../charts.tsx';
import { countOf, Empty, When } from '../../components.tsx';

type Report = gpu.GpuReport;
type Gpu = Report['gpus'][number];
type TrendPoint = gpu.GpuTrend['points'][number];

const memPct = (g: Gpu): number | null => g.memory_used_pct;
const n = (v: number | null, unit = '') => (v === null ? 'n/a' : `${v}${unit}`);
const gpuName = (g: Gpu) => `GPU ${g.index ?? '?'}${g.name ? `: ${g.name}` : ''}`;

function GpuBars(props: { gpu: Gpu; report: Report }): JSX.Element {
  const { gpu: g, report } = props;
  const mem = memPct(g);
  const bars: Bar[] = [];
  const t = report.thresholds;
  if (g.utilization_gpu_pct !== null)
    bars.push({
      label: 'utilisation',
      value: g.utilization_gpu_pct,
      unit: ' %',
      hot: g.utilization_gpu_pct >= t.utilization_pct,
    });
  if (mem !== null)
    bars.push({
      label: 'memory in use',
      value: mem,
      unit: ' %',
      hot: mem >= t.memory_pct,
      title: `memory in use: ${g.memory_used_mib} of ${g.memory_total_mib} MiB (${mem} %)`,
    });
  if (g.temperature_c !== null)
    bars.push({ label: 'temperature', value: g.temperature_c, unit: ' °C', hot: g.temperature_c >= t.temperature_c });
  if (g.power_draw_w !== null && g.power_limit_w) {
    const pct = Math.round((g.power_draw_w / g.power_limit_w) * 1000) / 10;
    bars.push({
      label: 'power of limit',
      value: pct,
      unit: ' %',
      title: `power: ${g.power_draw_w} of ${g.power_limit_w} W (${pct} %)`,
    });
  }
  return (
    <div class="card gpu">
      <h3 safe>{gpuName(g)}</h3>
      {bars.length ? (
        <RowChart title={`${gpuName(g)}: utilisation, memory, temperature`} bars={bars} max={100} />
      ) : (
        <Empty>nvidia-smi gave no figures for this GPU.</Empty>
      )}
      <p class="muted" safe>
        {`Memory ${n(g.memory_used_mib)} / ${n(g.memory_total_mib)} MiB · power ${n(g.power_draw_w)} / ${n(g.power_limit_w)} W${g.uuid ? ` · ${g.uuid}` : ''}`}
      </p>
    </div>
  );
}

export function ReportView(props: { report: Report; runId: number; trend: TrendPoint[] }): JSX.Element {
  const { report } = props;
  const { containers, unattributed } = report.attribution;
  const th = report.thresholds;
  const containerBars: Bar[] = containers.map((c) => ({
    label: c.container,
    value: c.vram_mib ?? 0,
    title: `${c.container}: ${c.vram_mib === null ? 'memory not reported' : `${c.vram_mib} MiB`}`,
  }));
  if (unattributed.processes.length > 0)
    containerBars.push({ label: '(not in an allowlisted container)', value: unattributed.vram_mib ?? 0 });
  const peak = [...props.trend].reverse().map((t) => ({
    runId: t.run_id,
    at: t.taken_at,
    util: t.peak.utilization_gpu_pct,
    mem: t.peak.memory_used_pct,
    temp: t.peak.temperature_c,
  })); // oldest first
  return (
    <>
      <p class="muted">
        <span safe>{`Source ${report.source}, taken `}</span>
        <When at={report.generated_at} />
        {', from '}
        <a href={`/runs/${props.runId}`} safe>{`run #${props.runId}`}</a>
        {'.'}
      </p>
      <section aria-labelledby="gpus">
        <h2 id="gpus">GPUs</h2>
        {report.gpus.length === 0 ? (
          <>
            <p safe>{`No GPU figures: ${report.none_reason ?? 'no source answered'}.`}</p>
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
                  <th scope="col" class="num">
                    Utilisation
                  </th>
                  <th scope="col" class="num">
                    Memory in use
                  </th>
                  <th scope="col" class="num">
                    Temperature
                  </th>
                  <th scope="col" class="num">
                    Power
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.gpus.map((g) => (
                  <tr>
                    <td safe>{gpuName(g)}</td>
                    <td class="num" safe>
                      {n(g.utilization_gpu_pct, ' %')}
                    </td>
                    <td
                      class="num"
                      safe
                    >{`${n(memPct(g), ' %')} (${n(g.memory_used_mib)} / ${n(g.memory_total_mib)} MiB)`}</td>
                    <td class="num" safe>
                      {n(g.temperature_c, ' °C')}
                    </td>
                    <td class="num" safe>{`${n(g.power_draw_w)} / ${n(g.power_limit_w)} W`}</td>
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
                  <th scope="col" class="num">
                    GPU memory
                  </th>
                  <th scope="col">GPUs</th>
                  <th scope="col">Processes</th>
                </tr>
              </thead>
              <tbody>
                {containers.map((c) => (
                  <tr>
                    <td safe>{c.container}</td>
                    <td class="num" safe>
                      {n(c.vram_mib, ' MiB')}
                    </td>
                    <td safe>{c.gpus.join(', ')}</td>
                    <td safe>
                      {c.processes
                        .map(
                          (p) =>
                            `${p.pid} ${p.process_name ?? '?'}${p.used_memory_mib === null ? '' : ` (${p.used_memory_mib} MiB)`}`,
                        )
                        .join(', ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {unattributed.processes.length > 0 ? (
              <p class="muted" safe>
                {`${countOf(unattributed.processes.length, 'process', 'processes')} using ${n(unattributed.vram_mib, ' MiB')} on the GPUs: not in an allowlisted container, or on the host.`}
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
            <span
              safe
            >{`None (utilisation ≥ ${th.utilization_pct} %, memory ≥ ${th.memory_pct} %, temperature ≥ ${th.temperature_c} °C).`}</span>
          </Empty>
        ) : (
          <ul>
            {report.hotspots.map((h) => (
              <li class="bad" safe>
                {`GPU ${h.gpu_index ?? '?'}: ${h.metric} ${h.value} at or above ${h.threshold}`}
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
            <p
              class="muted"
              safe
            >{`The last ${peak.length} successful GPU reports, oldest first; each bar is the busiest GPU of that run.`}</p>
            <h3>Peak utilisation (%)</h3>
            <ColumnChart
              title="Peak GPU utilisation per run"
              unit=" %"
              bars={peak.map((p) => ({
                label: `#${p.runId}`,
                value: p.util ?? 0,
                hot: (p.util ?? 0) >= th.utilization_pct,
                title: `run #${p.runId}: ${n(p.util, ' %')}`,
              }))}
            />
            <h3>Peak memory in use (%)</h3>
            <ColumnChart
              title="Peak GPU memory in use per run"
              unit=" %"
              bars={peak.map((p) => ({
                label: `#${p.runId}`,
                value: p.mem ?? 0,
                hot: (p.mem ?? 0) >= th.memory_pct,
                title: `run #${p.runId}: ${n(p.mem, ' %')}`,
              }))}
            />
            <table>
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  <th scope="col">Taken</th>
                  <th scope="col" class="num">
                    Peak utilisation
                  </th>
                  <th scope="col" class="num">
                    Peak memory in use
                  </th>
                  <th scope="col" class="num">
                    Hottest
                  </th>
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
                    <td class="num" safe>
                      {n(p.util, ' %')}
                    </td>
                    <td class="num" safe>
                      {n(p.mem, ' %')}
                    </td>
                    <td class="num" safe>
                      {n(p.temp, ' °C')}
                    </td>
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
