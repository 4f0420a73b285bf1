#ifndef CRMQ_PREFETCH_H
#define CRMQ_PREFETCH_H

/// Asks for the cache line at `address` ahead of its use, without waiting for it: a batch of
/// look-ups at random over a table of megabytes issues every line first, so that their misses
/// overlap however many there are — a plain load stalls the core once a dozen are in flight.
/// Swift has no prefetch of its own, which is why this is C: one inline function.
static inline void crmq_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

#endif
