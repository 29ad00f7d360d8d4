// Cyber-Brain's browser behaviour, as Alpine components. Pages work without it; this adds live status.
document.addEventListener('alpine:init', () => {
  // Follows /api/events and rewrites the status cells of runs and jobs shown on the page:
  // elements with data-run-status="<run id>" or data-job-status="<job id>".
  window.Alpine.data('liveStatus', () => ({
    connected: false,
    source: null,
    init() {
      this.source = new EventSource('/api/events');
      // Leaving the page ends its stream at once, so a browser's few connections per host are never
      // held by pages the person has left (also when the page is kept in the back/forward cache).
      window.addEventListener('pagehide', () => this.source.close());
      // Brought back from that cache, its statuses are stale: show the page afresh.
      window.addEventListener('pageshow', (e) => {
        if (e.persisted) location.reload();
      });
      // data-live tells people (and tests) whether the page is following events right now.
      this.source.onopen = () => {
        this.connected = true;
        this.$el.dataset.live = 'connected';
      };
      this.source.onerror = () => {
        this.connected = false;
        this.$el.dataset.live = 'reconnecting';
      };
      const show = (selector, status) => {
        for (const el of document.querySelectorAll(selector)) {
          el.textContent = status.replaceAll('_', ' ');
          el.className = `badge status-${status}`;
          el.dataset.status = status;
        }
      };
      const FINAL = ['success', 'partial', 'failed', 'cancelled'];
      this.source.addEventListener('run.status', (e) => {
        const d = JSON.parse(e.data);
        show(`[data-run-status="${Number(d.run_id)}"]`, String(d.status));
        // A run page written before the run ended offers to show the report once it has.
        if (FINAL.includes(d.status)) {
          for (const el of document.querySelectorAll(`[data-when-done="${Number(d.run_id)}"]`)) el.hidden = false;
        }
      });
      this.source.addEventListener('job.status', (e) => {
        const d = JSON.parse(e.data);
        show(`[data-job-status="${Number(d.job_id)}"]`, String(d.status));
        // A run shows "running" as soon as one of its jobs does.
        if (d.status === 'running') {
          for (const el of document.querySelectorAll(`[data-run-status="${Number(d.run_id)}"]`)) {
            if (el.dataset.status === 'queued') show(`[data-run-status="${Number(d.run_id)}"]`, 'running');
          }
        }
      });
    },
    destroy() {
      if (this.source) this.source.close();
    },
  }));
});
