/**
 * The dashboard's charts (@ant-design/plots, on G2). This module is the only one importing the
 * chart library and is loaded with React.lazy, so the library stays out of the first page's bundle
 * (vite.config.ts gives it a chunk of its own).
 */
import { Bar, Line } from '@ant-design/plots';

export interface SeriesPoint {
  x: string;
  y: number;
  series: string;
}

/** A line per series over the months. */
export function TrendChart({ data, height = 280 }: { data: SeriesPoint[]; height?: number }) {
  return <Line data={data} xField="x" yField="y" colorField="series" height={height} point={{ shapeField: 'circle', sizeField: 3 }} axis={{ y: { title: false }, x: { title: false } }} legend={{ color: { position: 'top' } }} />;
}

/** Indicator points stacked per department: each bar is a department's computed score. */
export function ScoresChart({ data, height = 360 }: { data: SeriesPoint[]; height?: number }) {
  return <Bar data={data} xField="x" yField="y" colorField="series" stack height={height} axis={{ y: { title: false }, x: { title: false } }} legend={{ color: { position: 'top' } }} />;
}

/** One horizontal bar per item with its value written at the end (e.g. each indicator's average rate). */
export function ValuesChart({ data, height = 280, max }: { data: { x: string; y: number }[]; height?: number; max?: number }) {
  return (
    <Bar
      data={data}
      xField="x"
      yField="y"
      height={height}
      scale={max === undefined ? undefined : { y: { domainMax: max } }}
      label={{ text: 'y', position: 'right', dx: 4 }}
      axis={{ y: { title: false }, x: { title: false } }}
    />
  );
}
