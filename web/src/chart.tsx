// Charts from Chart.js, registered piece by piece so the bundle carries only what is drawn.
// Each chart has a table beside it for screen readers and keyboard users.
// Chart.js is loaded after the first render, so the figures show before the chart library arrives.
import { useEffect, useRef } from "preact/hooks";

async function chartClass() {
  return (await import("./chart-setup")).Chart;
}

export interface Series {
  label: string;
  values: (number | null)[];
}

const PALETTE = ["#1f5fa8", "#b3541e", "#2e7d32", "#6a1b9a", "#00838f", "#8d6e63", "#c2185b", "#546e7a"];
const DASHES = [[], [6, 3], [2, 2], [8, 4, 2, 4], [], [6, 3], [2, 2], [8, 4, 2, 4]];
const POINTS = ["circle", "rect", "triangle", "rectRot", "star", "crossRot", "circle", "rect"] as const;

export function LineChart({ labels, series, label, format }: {
  labels: string[]; series: Series[]; label: string; format: (value: number | null) => string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let chart: { destroy(): void } | null = null;
    let gone = false;
    void chartClass().then((Chart) => {
      if (gone || canvas.current === null) return;
      chart = new Chart(canvas.current, {
      type: "line",
      data: {
        labels,
        datasets: series.map((s, i) => ({
          label: s.label, data: s.values, borderColor: PALETTE[i % 8], backgroundColor: PALETTE[i % 8],
          borderDash: DASHES[i % 8], pointStyle: POINTS[i % 8], pointRadius: 4, spanGaps: true,
        })),
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        font: { family: "Sarabun, sans-serif" },
        plugins: { legend: { position: "bottom", labels: { usePointStyle: true, font: { family: "Sarabun" } } } },
        scales: { y: { beginAtZero: true } },
      } as never,
      });
    });
    return () => { gone = true; chart?.destroy(); };
  }, [JSON.stringify(labels), JSON.stringify(series)]);
  return (
    <figure class="chart">
      <div class="chart-box"><canvas ref={canvas} role="img" aria-label={label} /></div>
      <details>
        <summary>{label}</summary>
        <table>
          <thead><tr><th scope="col" />{labels.map((l) => <th scope="col">{l}</th>)}</tr></thead>
          <tbody>
            {series.map((s) => (
              <tr><th scope="row">{s.label}</th>{s.values.map((v) => <td>{format(v)}</td>)}</tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
