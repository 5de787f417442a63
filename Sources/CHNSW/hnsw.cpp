// The one translation unit that includes hnswlib (its header defines functions and may
// be included once per program).
#include "hnsw.h"

#include <hnswlib/hnswlib.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>

struct hnsw_index {
    std::unique_ptr<hnswlib::SpaceInterface<float>> space;
    std::unique_ptr<hnswlib::HierarchicalNSW<float>> graph;
    std::shared_mutex lock;
    uint64_t seed = 0;
};

namespace {

void report(char *error, size_t size, const char *message) {
    if (error != nullptr && size > 0) std::snprintf(error, size, "%s", message);
}

std::unique_ptr<hnswlib::SpaceInterface<float>> makeSpace(hnsw_space space, size_t dimension) {
    if (space == HNSW_SPACE_INNER_PRODUCT) return std::make_unique<hnswlib::InnerProductSpace>(dimension);
    return std::make_unique<hnswlib::L2Space>(dimension);
}

// Doubles the capacity when the index is full (the caller holds the lock alone).
void makeRoom(hnswlib::HierarchicalNSW<float> &graph) {
    if (graph.cur_element_count < graph.max_elements_) return;
    graph.resizeIndex(graph.max_elements_ < 1024 ? 2048 : graph.max_elements_ * 2);
}

// hnswlib 0.6.2's loading constructor never zeroes its count of deleted elements before
// adding the marks it reads: count them again.
void recountDeleted(hnswlib::HierarchicalNSW<float> &graph) {
    graph.num_deleted_ = 0;
    for (size_t i = 0; i < graph.cur_element_count; ++i) {
        if (graph.isMarkedDeleted(static_cast<hnswlib::tableint>(i))) graph.num_deleted_ += 1;
    }
}

// Seeds the graph's level generator from `label` and the seed before `label` is added, so
// that its layer follows from them alone: the same vectors added in the same order build
// the same graph whether the index was loaded from a file or built anew (hnswlib's own
// generator restarts from its default state on load).
void seedLevel(hnswlib::HierarchicalNSW<float> &graph, uint64_t label, uint64_t seed) {
    uint64_t z = label + seed * 0x9E3779B97F4A7C15ULL + 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    graph.level_generator_.seed(static_cast<unsigned long>(z ^ (z >> 31)));
}

}  // namespace

extern "C" hnsw_index *hnsw_new(hnsw_space space, size_t dimension, size_t capacity, size_t m,
                                size_t ef_construction, size_t ef_search, size_t seed,
                                char *error, size_t error_size) {
    try {
        auto index = std::make_unique<hnsw_index>();
        index->space = makeSpace(space, dimension);
        index->graph = std::make_unique<hnswlib::HierarchicalNSW<float>>(
            index->space.get(), capacity < 16 ? 16 : capacity, m, ef_construction, seed);
        index->graph->setEf(ef_search);
        index->seed = seed;
        return index.release();
    } catch (const std::exception &e) {
        report(error, error_size, e.what());
    } catch (...) {
        report(error, error_size, "unknown failure creating the index");
    }
    return nullptr;
}

extern "C" hnsw_index *hnsw_load(const char *path, hnsw_space space, size_t dimension, size_t ef_search, size_t seed,
                                 char *error, size_t error_size) {
    try {
        auto index = std::make_unique<hnsw_index>();
        index->seed = seed;
        index->space = makeSpace(space, dimension);
        index->graph = std::make_unique<hnswlib::HierarchicalNSW<float>>(index->space.get(), std::string(path));
        if (index->graph->label_offset_ - index->graph->offsetData_ != index->space->get_data_size()) {
            report(error, error_size, "the saved index holds vectors of another dimension");
            return nullptr;
        }
        recountDeleted(*index->graph);
        index->graph->setEf(ef_search);
        return index.release();
    } catch (const std::exception &e) {
        report(error, error_size, e.what());
    } catch (...) {
        report(error, error_size, "unknown failure loading the index");
    }
    return nullptr;
}

extern "C" int hnsw_save(hnsw_index *index, const char *path, char *error, size_t error_size) {
    try {
        std::shared_lock<std::shared_mutex> reading(index->lock);
        index->graph->saveIndex(std::string(path));
        return 0;
    } catch (const std::exception &e) {
        report(error, error_size, e.what());
    } catch (...) {
        report(error, error_size, "unknown failure saving the index");
    }
    return -1;
}

extern "C" void hnsw_free(hnsw_index *index) { delete index; }

extern "C" int hnsw_add(hnsw_index *index, const float *vector, uint64_t label, char *error, size_t error_size) {
    try {
        std::unique_lock<std::shared_mutex> writing(index->lock);
        makeRoom(*index->graph);
        seedLevel(*index->graph, label, index->seed);
        index->graph->addPoint(vector, static_cast<hnswlib::labeltype>(label));
        return 0;
    } catch (const std::exception &e) {
        report(error, error_size, e.what());
    } catch (...) {
        report(error, error_size, "unknown failure adding a vector");
    }
    return -1;
}

extern "C" int hnsw_mark_deleted(hnsw_index *index, uint64_t label, char *error, size_t error_size) {
    try {
        std::unique_lock<std::shared_mutex> writing(index->lock);
        index->graph->markDelete(static_cast<hnswlib::labeltype>(label));
        return 0;
    } catch (const std::exception &e) {
        report(error, error_size, e.what());
    } catch (...) {
        report(error, error_size, "unknown failure marking a vector deleted");
    }
    return -1;
}

extern "C" int hnsw_unmark_deleted(hnsw_index *index, uint64_t label, char *error, size_t error_size) {
    try {
        std::unique_lock<std::shared_mutex> writing(index->lock);
        index->graph->unmarkDelete(static_cast<hnswlib::labeltype>(label));
        return 0;
    } catch (const std::exception &e) {
        report(error, error_size, e.what());
    } catch (...) {
        report(error, error_size, "unknown failure showing a vector again");
    }
    return -1;
}

extern "C" void hnsw_set_ef(hnsw_index *index, size_t ef_search) {
    std::unique_lock<std::shared_mutex> writing(index->lock);
    index->graph->setEf(ef_search);
}

extern "C" long hnsw_search(hnsw_index *index, const float *query, size_t k,
                            uint64_t *labels, float *distances, char *error, size_t error_size) {
    try {
        std::shared_lock<std::shared_mutex> reading(index->lock);
        auto found = index->graph->searchKnn(query, k);
        // The queue holds the farthest on top: fill from the end.
        long count = static_cast<long>(found.size());
        for (long i = count - 1; i >= 0; --i) {
            labels[i] = static_cast<uint64_t>(found.top().second);
            distances[i] = found.top().first;
            found.pop();
        }
        return count;
    } catch (const std::exception &e) {
        report(error, error_size, e.what());
    } catch (...) {
        report(error, error_size, "unknown failure searching");
    }
    return -1;
}

extern "C" size_t hnsw_count(hnsw_index *index) {
    std::shared_lock<std::shared_mutex> reading(index->lock);
    return index->graph->cur_element_count;
}

extern "C" size_t hnsw_deleted_count(hnsw_index *index) {
    std::shared_lock<std::shared_mutex> reading(index->lock);
    return index->graph->num_deleted_;
}

extern "C" size_t hnsw_memory_bytes(hnsw_index *index) {
    std::shared_lock<std::shared_mutex> reading(index->lock);
    auto &graph = *index->graph;
    size_t bytes = graph.max_elements_ * graph.size_data_per_element_;
    for (size_t i = 0; i < graph.cur_element_count; ++i) {
        bytes += static_cast<size_t>(graph.element_levels_[i]) * graph.size_links_per_element_;
    }
    return bytes;
}
