// CLibXML2: libxml2 from Debian's libxml2-dev, for the WAF's XML request body processor and the
// XPath expressions of `XML:/xpath` targets. Only WAFEngine/BodyProcessors/XMLBodyProcessor.swift
// calls it.
#ifndef RAMPART_CLIBXML2_SHIM_H
#define RAMPART_CLIBXML2_SHIM_H

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#endif
