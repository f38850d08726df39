/** Total lag over time, sampled while the group's view is open, drawn by uPlot. */
import { useEffect, useRef } from 'react';
import { Paper, Text } from '@mantine/core';
// Must come before uPlot: see the module's comment.
import './uplotLocale';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatCount } from '../../lib/format';

export interface LagSample {
  /** Seconds since the epoch (uPlot's time unit). */
  time: number;
  /** `null` when a log end was unknown at that moment (a gap in the line). */
  lag: number | null;
}

const HEIGHT = 180;

export function LagChart({ samples }: { samples: LagSample[] }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const chart = new uPlot(
      {
        width: Math.max(el.clientWidth, 300),
        height: HEIGHT,
        legend: { show: false },
        scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
        axes: [
          {
            stroke: 'gray',
            grid: { stroke: 'rgba(128,128,128,0.15)' },
            // Whole seconds and up: samples come every few seconds, never sub-second.
            incrs: [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600],
            values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toLocaleTimeString('en-GB')),
          },
          { stroke: 'gray', grid: { stroke: 'rgba(128,128,128,0.15)' }, values: (_u, ticks) => ticks.map((t) => formatCount(t)), size: 56 },
        ],
        series: [{}, { label: 'Total lag', stroke: '#555ee2', width: 2, fill: 'rgba(85,94,226,0.12)', points: { show: true, size: 4 } }],
      },
      [[], []],
      el,
    );
    plot.current = chart;
    const observer = new ResizeObserver(() => chart.setSize({ width: Math.max(el.clientWidth, 300), height: HEIGHT }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    plot.current?.setData([samples.map((s) => s.time), samples.map((s) => s.lag)]);
  }, [samples]);

  return (
    <Paper withBorder radius="md" p="sm" data-testid="lag-chart" data-samples={samples.length}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={4} style={{ letterSpacing: 0.4 }}>
        Total lag while this view is open
      </Text>
      <div ref={host} />
    </Paper>
  );
}
