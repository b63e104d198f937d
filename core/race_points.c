/* The accesses that raced, kept in the exchange region for the runtime
 * (race_points.h) as module and offset: addresses move between processes
 * that are not forked from one server, a module's place in the list does
 * not. */
#define _GNU_SOURCE
#include "race_points.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static bool add(struct weft_shm *shm, uint64_t pc)
{
	for (uint32_t m = 0; m < shm->nmodules && m < WEFT_MAX_MODULES; m++) {
		const struct weft_module *mod = &shm->modules[m];
		if (pc < mod->start || pc >= mod->end)
			continue;
		struct weft_race_point point = {.module = m, .offset = pc - mod->bias};
		for (uint32_t i = 0; i < shm->nrace_points; i++)
			if (shm->race_points[i].module == m &&
			    shm->race_points[i].offset == point.offset)
				return false;
		if (shm->nrace_points >= WEFT_MAX_RACE_POINTS)
			return false;
		shm->race_points[shm->nrace_points++] = point;
		return true;
	}
	return false;
}

bool weft_race_points_note(struct weft_shm *shm)
{
	bool added = false;
	if (!shm->race.found)
		return false;
	for (int a = 0; a < 2; a++)
		if (shm->race.access[a].nframes)
			added |= add(shm, shm->race.access[a].frames[0]);
	return added;
}

char *weft_race_points_text(const struct weft_shm *shm)
{
	if (!shm->nrace_points)
		return NULL;
	size_t cap = (size_t)shm->nrace_points * 32 + 1, len = 0;
	char *text = malloc(cap);
	if (!text)
		return NULL;
	text[0] = '\0';
	for (uint32_t i = 0; i < shm->nrace_points; i++)
		len += (size_t)snprintf(text + len, cap - len, "%s%u:%" PRIx64, i ? "," : "",
		                        shm->race_points[i].module, shm->race_points[i].offset);
	return text;
}

bool weft_race_points_parse(struct weft_shm *shm, const char *text)
{
	shm->nrace_points = 0;
	const char *p = text;
	while (*p) {
		char *end;
		unsigned long module = strtoul(p, &end, 10);
		if (end == p || *end != ':' || module >= WEFT_MAX_MODULES)
			return false;
		p = end + 1;
		unsigned long long offset = strtoull(p, &end, 16);
		if (end == p || (*end && *end != ',') || shm->nrace_points >= WEFT_MAX_RACE_POINTS)
			return false;
		shm->race_points[shm->nrace_points++] =
		    (struct weft_race_point){.module = (uint32_t)module, .offset = offset};
		p = *end ? end + 1 : end;
	}
	return true;
}
