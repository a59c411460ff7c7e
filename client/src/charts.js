// Chart.js, registered with only the parts the debrief uses. Loaded on
// demand (import('./charts.js')), so participants' phones never download it.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
);

Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif";
Chart.defaults.color = '#17202a';
Chart.defaults.borderColor = '#c9d0da';

// Vertical dashed lines at given x values (the time-outs), drawn under the
// data; the points on top carry the tooltips.
const verticalLines = {
  id: 'calmroomVerticalLines',
  beforeDatasetsDraw(chart, _args, options) {
    const lines = (options && options.lines) || [];
    if (!lines.length) return;
    const { ctx, chartArea, scales } = chart;
    const x = scales.x;
    ctx.save();
    ctx.strokeStyle = options.color || '#5c2c00';
    ctx.lineWidth = options.width || 2;
    ctx.setLineDash(options.dash || [6, 4]);
    for (const value of lines) {
      const px = x.getPixelForValue(value);
      if (px < chartArea.left - 1 || px > chartArea.right + 1) continue;
      ctx.beginPath();
      ctx.moveTo(px, chartArea.top);
      ctx.lineTo(px, chartArea.bottom);
      ctx.stroke();
    }
    ctx.restore();
  },
};
Chart.register(verticalLines);

export { Chart };
