package main

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// queueStats reads a durable queue's depth and the time its oldest entry
// was kept: the inbox's events, the outbox's messages.
type queueStats func(ctx context.Context) (depth int, oldest time.Time, err error)

// queueCollector reads a queue's depth and age at each scrape, so every
// replica reports the shared queue as it is.
type queueCollector struct {
	depth, age *prometheus.Desc
	stats      queueStats
	now        func() time.Time
}

func newQueueCollector(name, what string, stats queueStats, now func() time.Time) queueCollector {
	return queueCollector{
		depth: prometheus.NewDesc("perfbot_"+name+"_depth", what+" not yet handled.", nil, nil),
		age: prometheus.NewDesc("perfbot_"+name+"_oldest_age_seconds",
			"Age of the oldest of the "+what+" not yet handled; 0 when none waits.", nil, nil),
		stats: stats, now: now,
	}
}

func (c queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.depth
	ch <- c.age
}

func (c queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	depth, oldest, err := c.stats(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.depth, err)
		return
	}
	age := 0.0
	if !oldest.IsZero() {
		age = max(c.now().Sub(oldest).Seconds(), 0)
	}
	ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(depth))
	ch <- prometheus.MustNewConstMetric(c.age, prometheus.GaugeValue, age)
}
