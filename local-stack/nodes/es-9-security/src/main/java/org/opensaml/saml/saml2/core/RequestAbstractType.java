package org.opensaml.saml.saml2.core;

/**
 * Stand-in for OpenSAML's type of this name (OpenSAML 4 is not on Maven Central): the security plugin's SAML
 * transport actions name it in their constructors, which Elasticsearch's injector reflects on at start. The local
 * node configures no SAML realm, so nothing ever calls through it.
 */
public interface RequestAbstractType {}
