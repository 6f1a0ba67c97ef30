/** The sealed error hierarchy: user, algorithm and platform errors, with located subtypes for data and config. */
package dev.sagebox.engine.error;
