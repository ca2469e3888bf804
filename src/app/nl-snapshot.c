/* nl-snapshot.c: the immutable worker → UI snapshot and its shared parts. */
#include "nl-snapshot.h"

#include <math.h>

NlSnapshot *
nl_snapshot_new (void)
{
  return g_atomic_rc_box_new0 (NlSnapshot);
}

static void
snapshot_clear (NlSnapshot *self)
{
  if (self->model != NULL)
    nl_snapshot_model_unref ((NlSnapshotModel *) self->model);
  if (self->history != NULL)
    nl_history_unref ((NlHistory *) self->history);
  g_free (self->net.params);
  g_free (self->net.grads);
  g_free (self->neuron_grids);
  g_free (self->output_grids);
  g_free (self->error_message);
  if (self->timeline_share != NULL)
    nl_timeline_share_unref (self->timeline_share);
  g_clear_pointer (&self->optimizer, nn_optimizer_free);
  if (self->health != NULL)
    nl_health_report_unref ((NlHealthReport *) self->health);
  if (self->metrics != NULL)
    nl_metrics_unref ((NlMetrics *) self->metrics);
}

NlSnapshot *
nl_snapshot_ref (NlSnapshot *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
nl_snapshot_unref (NlSnapshot *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, (GDestroyNotify) snapshot_clear);
}

const NnEpochStats *
nl_snapshot_get_last_record (const NlSnapshot *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->history == NULL || self->n_history == 0)
    return NULL;
  return &self->history->records[self->n_history - 1];
}

const double *
nl_snapshot_get_neuron_grid (const NlSnapshot *self, guint layer, guint unit)
{
  gsize index = 0;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->neuron_grids == NULL || layer >= self->net.n_layers
      || unit >= self->net.layers[layer].n_out)
    return NULL;
  for (guint l = 0; l < layer; l++)
    index += self->net.layers[l].n_out;
  index += unit;
  return self->neuron_grids + index * self->neuron_res * self->neuron_res;
}

static void
model_clear (NlSnapshotModel *model)
{
  g_clear_pointer (&model->project, nn_project_free);
  g_clear_pointer (&model->dataset, nn_dataset_free);
}

NlSnapshotModel *
nl_snapshot_model_new (const NnProject *project, const NnDataset *dataset, guint64 serial)
{
  NlSnapshotModel *model = g_atomic_rc_box_new0 (NlSnapshotModel);

  model->project = nn_project_copy (project);
  nn_project_set_weights (model->project, NULL, 0);
  model->dataset = dataset != NULL ? nn_dataset_copy (dataset) : NULL;
  model->serial = serial;
  return model;
}

NlSnapshotModel *
nl_snapshot_model_ref (NlSnapshotModel *model)
{
  return g_atomic_rc_box_acquire (model);
}

void
nl_snapshot_model_unref (NlSnapshotModel *model)
{
  g_atomic_rc_box_release_full (model, (GDestroyNotify) model_clear);
}

static void
history_clear (NlHistory *history)
{
  g_free (history->records);
}

NlHistory *
nl_history_new (guint capacity)
{
  NlHistory *history = g_atomic_rc_box_new0 (NlHistory);

  history->capacity = MAX (capacity, 16);
  history->records = g_new0 (NnEpochStats, history->capacity);
  return history;
}

NlHistory *
nl_history_ref (NlHistory *history)
{
  return g_atomic_rc_box_acquire (history);
}

void
nl_history_unref (NlHistory *history)
{
  g_atomic_rc_box_release_full (history, (GDestroyNotify) history_clear);
}

static void
timeline_share_clear (NlTimelineShare *share)
{
  g_clear_pointer (&share->timeline, nn_timeline_free);
}

NlTimelineShare *
nl_timeline_share_new (NnTimeline *timeline)
{
  NlTimelineShare *share = g_atomic_rc_box_new0 (NlTimelineShare);

  share->timeline = timeline;
  return share;
}

NlTimelineShare *
nl_timeline_share_ref (NlTimelineShare *share)
{
  return g_atomic_rc_box_acquire (share);
}

void
nl_timeline_share_unref (NlTimelineShare *share)
{
  g_atomic_rc_box_release_full (share, (GDestroyNotify) timeline_share_clear);
}

static void
health_report_clear (NlHealthReport *report)
{
  g_clear_pointer (&report->history, nn_health_history_free);
}

NlHealthReport *
nl_health_report_new (NnHealthHistory *history)
{
  NlHealthReport *report = g_atomic_rc_box_new0 (NlHealthReport);

  report->history = history;
  return report;
}

NlHealthReport *
nl_health_report_ref (NlHealthReport *report)
{
  return g_atomic_rc_box_acquire (report);
}

void
nl_health_report_unref (NlHealthReport *report)
{
  g_atomic_rc_box_release_full (report, (GDestroyNotify) health_report_clear);
}

static void
metrics_clear (NlMetrics *metrics)
{
  for (guint s = 0; s < NN_N_SPLITS; s++)
    {
      g_free (metrics->predicted_class[s]);
      g_free (metrics->truth[s]);
      g_free (metrics->predicted[s]);
    }
}

NlMetrics *
nl_metrics_new (void)
{
  NlMetrics *metrics = g_atomic_rc_box_new0 (NlMetrics);

  for (guint s = 0; s < NN_N_SPLITS; s++)
    metrics->r_squared[s] = NAN;
  return metrics;
}

NlMetrics *
nl_metrics_ref (NlMetrics *metrics)
{
  return g_atomic_rc_box_acquire (metrics);
}

void
nl_metrics_unref (NlMetrics *metrics)
{
  g_atomic_rc_box_release_full (metrics, (GDestroyNotify) metrics_clear);
}
