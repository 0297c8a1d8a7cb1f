// Types for asciichart 1.5 (the package ships none): only what chart.ts uses.
declare module 'asciichart' {
  interface PlotConfig {
    min?: number;
    max?: number;
    height?: number;
    offset?: number;
    padding?: string;
    colors?: string[];
    symbols?: string[];
    format?: (x: number, i: number) => string;
  }
  const asciichart: { plot(series: number[] | number[][], config?: PlotConfig): string };
  export default asciichart;
}
