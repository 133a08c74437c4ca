// CHiredis: the Redis client library from Debian's libhiredis-dev, for rate limits shared across
// WAF instances. Only WAFEngine/RateLimit/RedisRateStore.swift calls it.
#ifndef RAMPART_CHIREDIS_SHIM_H
#define RAMPART_CHIREDIS_SHIM_H

#include <hiredis/hiredis.h>

#endif
