/**
 * Several hosts of one training job: who is who (from {@code resourceconfig.json} and {@code SAGEBOX_HOSTS}), the
 * leader's tracker, joining XGBoost's collective within a deadline, and what each host writes.
 */
package dev.sagebox.container.cluster;
