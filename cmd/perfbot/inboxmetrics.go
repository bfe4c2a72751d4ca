package main

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/perfbot/perfbot/bot"
)

var (
	inboxDepthDesc = prometheus.NewDesc("perfbot_inbox_depth",
		"Inbound events kept in the inbox and not yet handled.", nil, nil)
	inboxAgeDesc = prometheus.NewDesc("perfbot_inbox_oldest_age_seconds",
		"Age of the oldest inbound event not yet handled; 0 when none waits.", nil, nil)
)

// inboxCollector reads the inbox's depth and age at each scrape, so every
// replica reports the shared inbox as it is.
type inboxCollector struct {
	inbox bot.Inbox
	now   func() time.Time
}

func (inboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- inboxDepthDesc
	ch <- inboxAgeDesc
}

func (c inboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	depth, oldest, err := c.inbox.InboxStats(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(inboxDepthDesc, err)
		return
	}
	age := 0.0
	if !oldest.IsZero() {
		age = max(c.now().Sub(oldest).Seconds(), 0)
	}
	ch <- prometheus.MustNewConstMetric(inboxDepthDesc, prometheus.GaugeValue, float64(depth))
	ch <- prometheus.MustNewConstMetric(inboxAgeDesc, prometheus.GaugeValue, age)
}
