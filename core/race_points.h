/* Races explored to their consequences (--keep-going, instrumented builds):
 * the explorer's side of interpose/race_points.c. */
#ifndef WEFT_RACE_POINTS_H
#define WEFT_RACE_POINTS_H

#include "protocol.h"

/* After an execution that ended on a data race: both accesses become
 * scheduling points of the executions to come (weft_shm.race_points), and
 * that race no longer ends one. True when a new access was added: the
 * program's scheduling points changed, and the search starts over. */
#include <stdbool.h>
bool weft_race_points_note(struct weft_shm *shm);

/* The points as text for --race-points ("0:1a2b,0:1a40"; NULL when there
 * are none), and back into the region; false on malformed text. */
char *weft_race_points_text(const struct weft_shm *shm);
bool weft_race_points_parse(struct weft_shm *shm, const char *text);

#endif
