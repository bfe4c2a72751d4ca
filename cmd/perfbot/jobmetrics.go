package main

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// jobMetrics count the runs of the runtime's periodic jobs (the
// scheduler's prompts, nudges and escalations, the outbox, broadcasts,
// digests): how long each took, which failed, and when each last finished.
// time() minus the last is the scheduler's lag, which an alert watches: a
// job stuck or failing every time does not show otherwise.
type jobMetrics struct {
	seconds  *prometheus.HistogramVec
	failures *prometheus.CounterVec
	last     *prometheus.GaugeVec
}

func newJobMetrics(reg prometheus.Registerer) (*jobMetrics, error) {
	m := &jobMetrics{
		seconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "perfbot_job_seconds", Help: "Time a periodic job's run took, by job.",
			Buckets: []float64{.005, .025, .1, .5, 2, 10, 60},
		}, []string{"job"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "perfbot_job_failures_total", Help: "Runs of a periodic job that failed or panicked, by job.",
		}, []string{"job"}),
		last: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "perfbot_job_last_run_timestamp_seconds", Help: "When a periodic job's last run ended (Unix time), by job.",
		}, []string{"job"}),
	}
	for _, c := range []prometheus.Collector{m.seconds, m.failures, m.last} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// observe is bot.RuntimeOptions.OnJob.
func (m *jobMetrics) observe(name string, started time.Time, took time.Duration, err error) {
	m.seconds.WithLabelValues(name).Observe(took.Seconds())
	if err != nil {
		m.failures.WithLabelValues(name).Inc()
	}
	m.last.WithLabelValues(name).Set(float64(started.Add(took).UnixNano()) / 1e9)
}
