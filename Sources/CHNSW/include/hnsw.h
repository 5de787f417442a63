// A plain C interface to one hnswlib index (float32 vectors, L2 or inner product).
//
// Readers and writer are kept apart inside: searches share the index, while adding,
// marking deleted, resizing and changing ef take it alone (hnswlib 0.6.2 does not allow a
// search during an insert). Every call catches the library's exceptions and reports them
// through `error` (a buffer of `error_size` bytes), returning NULL, -1 or 0 as documented.
#ifndef EVENTLOOM_HNSW_H
#define EVENTLOOM_HNSW_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hnsw_index hnsw_index;

typedef enum {
    HNSW_SPACE_L2 = 0,             // squared Euclidean distance
    HNSW_SPACE_INNER_PRODUCT = 1,  // distance 1 - dot product
} hnsw_space;

// A new empty index for `dimension`-component vectors with room for `capacity` (it grows
// when full). NULL on failure.
hnsw_index *hnsw_new(hnsw_space space, size_t dimension, size_t capacity, size_t m,
                     size_t ef_construction, size_t ef_search, size_t seed,
                     char *error, size_t error_size);

// The index saved at `path` (by hnsw_save) for the given space and dimension, built with
// `seed`. NULL on failure.
hnsw_index *hnsw_load(const char *path, hnsw_space space, size_t dimension, size_t ef_search, size_t seed,
                      char *error, size_t error_size);

// Writes the index to `path`. 0, or -1 on failure.
int hnsw_save(hnsw_index *index, const char *path, char *error, size_t error_size);

void hnsw_free(hnsw_index *index);

// Adds `vector` under `label` (a label already present is replaced); its layer follows from
// the label and the seed alone, so equal additions in equal order build equal graphs.
// 0, or -1 on failure.
int hnsw_add(hnsw_index *index, const float *vector, uint64_t label, char *error, size_t error_size);

// Hides `label` from searches (its memory stays until a rebuild). 0, or -1 when unknown.
int hnsw_mark_deleted(hnsw_index *index, uint64_t label, char *error, size_t error_size);

// Shows `label` to searches again after hnsw_mark_deleted. 0, or -1 when unknown or not hidden.
int hnsw_unmark_deleted(hnsw_index *index, uint64_t label, char *error, size_t error_size);

// Sets the size of the dynamic candidate list of searches (at least k is always used).
void hnsw_set_ef(hnsw_index *index, size_t ef_search);

// Up to `k` nearest labels of `query`, nearest first, into `labels` and `distances`
// (each of room `k`). The number written, or -1 on failure.
long hnsw_search(hnsw_index *index, const float *query, size_t k,
                 uint64_t *labels, float *distances, char *error, size_t error_size);

// Vectors added (including those marked deleted).
size_t hnsw_count(hnsw_index *index);
// Vectors marked deleted.
size_t hnsw_deleted_count(hnsw_index *index);
// Bytes the index holds in memory for its vectors and graph (an estimate).
size_t hnsw_memory_bytes(hnsw_index *index);

#ifdef __cplusplus
}
#endif

#endif
