// CPCRE2: PCRE2 (8-bit code units) for Swift, from Debian's libpcre2-dev.
//
// Why this shim exists: pcre2.h names its API through macros that paste the code-unit width onto
// each function (`pcre2_compile` expands to `pcre2_compile_8`). Swift imports neither those
// name-pasting macros nor function-like macros such as PCRE2_ZERO_TERMINATED, so each function the
// project calls gets a static inline wrapper with a stable `rampart_pcre2_*` name. Only this header
// and PolicyCore/Regex/PCRE2.swift (the single Swift funnel) may mention PCRE2.
#ifndef RAMPART_CPCRE2_SHIM_H
#define RAMPART_CPCRE2_SHIM_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>

typedef pcre2_code_8 rampart_pcre2_code;
typedef pcre2_match_data_8 rampart_pcre2_match_data;
typedef pcre2_match_context_8 rampart_pcre2_match_context;
typedef pcre2_compile_context_8 rampart_pcre2_compile_context;
typedef pcre2_jit_stack_8 rampart_pcre2_jit_stack;

// PCRE2_ZERO_TERMINATED is `(~(PCRE2_SIZE)0)`: a cast expression Swift cannot import.
static inline size_t rampart_pcre2_zero_terminated(void) { return PCRE2_ZERO_TERMINATED; }
// PCRE2_UNSET marks an unset capture in the ovector; same reason.
static inline size_t rampart_pcre2_unset(void) { return PCRE2_UNSET; }

static inline rampart_pcre2_code *rampart_pcre2_compile(
    const uint8_t *pattern, size_t length, uint32_t options, int *errorcode, size_t *erroroffset,
    rampart_pcre2_compile_context *ccontext) {
  return pcre2_compile_8(pattern, length, options, errorcode, erroroffset, ccontext);
}
static inline void rampart_pcre2_code_free(rampart_pcre2_code *code) { pcre2_code_free_8(code); }
static inline int rampart_pcre2_jit_compile(rampart_pcre2_code *code, uint32_t options) {
  return pcre2_jit_compile_8(code, options);
}
static inline int rampart_pcre2_get_error_message(int errorcode, uint8_t *buffer, size_t length) {
  return pcre2_get_error_message_8(errorcode, buffer, length);
}
static inline int rampart_pcre2_pattern_info(const rampart_pcre2_code *code, uint32_t what, void *where) {
  return pcre2_pattern_info_8(code, what, where);
}
static inline rampart_pcre2_match_data *rampart_pcre2_match_data_create_from_pattern(
    const rampart_pcre2_code *code) {
  return pcre2_match_data_create_from_pattern_8(code, NULL);
}
static inline rampart_pcre2_match_data *rampart_pcre2_match_data_create(uint32_t pairs) {
  return pcre2_match_data_create_8(pairs, NULL);
}
static inline void rampart_pcre2_match_data_free(rampart_pcre2_match_data *data) {
  pcre2_match_data_free_8(data);
}
static inline size_t *rampart_pcre2_get_ovector_pointer(rampart_pcre2_match_data *data) {
  return pcre2_get_ovector_pointer_8(data);
}
static inline uint32_t rampart_pcre2_get_ovector_count(rampart_pcre2_match_data *data) {
  return pcre2_get_ovector_count_8(data);
}
static inline rampart_pcre2_match_context *rampart_pcre2_match_context_create(void) {
  return pcre2_match_context_create_8(NULL);
}
static inline void rampart_pcre2_match_context_free(rampart_pcre2_match_context *context) {
  pcre2_match_context_free_8(context);
}
static inline int rampart_pcre2_set_match_limit(rampart_pcre2_match_context *context, uint32_t limit) {
  return pcre2_set_match_limit_8(context, limit);
}
static inline int rampart_pcre2_set_depth_limit(rampart_pcre2_match_context *context, uint32_t limit) {
  return pcre2_set_depth_limit_8(context, limit);
}
static inline int rampart_pcre2_match(
    const rampart_pcre2_code *code, const uint8_t *subject, size_t length, size_t startoffset,
    uint32_t options, rampart_pcre2_match_data *data, rampart_pcre2_match_context *context) {
  return pcre2_match_8(code, subject, length, startoffset, options, data, context);
}
static inline int rampart_pcre2_jit_match(
    const rampart_pcre2_code *code, const uint8_t *subject, size_t length, size_t startoffset,
    uint32_t options, rampart_pcre2_match_data *data, rampart_pcre2_match_context *context) {
  return pcre2_jit_match_8(code, subject, length, startoffset, options, data, context);
}
static inline int rampart_pcre2_config_jit(void) {
  uint32_t jit = 0;
  if (pcre2_config_8(PCRE2_CONFIG_JIT, &jit) < 0) return 0;
  return (int)jit;
}

#endif
