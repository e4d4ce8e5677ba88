/// Hearth's `storage` module.
@NullMarked
package dev.hearth.storage;

import org.jspecify.annotations.NullMarked;
