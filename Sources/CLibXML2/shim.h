// CLibXML2: libxml2 from Debian's libxml2-dev, for the WAF's XML request body processor and the
// XPath expressions of `XML:/xpath` targets. Only WAFEngine/BodyProcessors/XMLBodyProcessor.swift
// calls it.
#ifndef RAMPART_CLIBXML2_SHIM_H
#define RAMPART_CLIBXML2_SHIM_H

// Debian builds libxml2 with ICU, so its encoding.h would pull in the system ICU headers. A module
// that also imports Foundation (which carries its own ICU copy) then sees two definitions of
// UErrorCode and fails to build. Nothing here uses libxml2's ICU converters, and the struct whose
// layout the macro changes (xmlCharEncodingHandler) is only ever used through pointers, so the
// ICU part of the headers is turned off.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#endif
