/// The Chat section: sessions, message trees with branches, streaming answers recorded in the session log.
@NullMarked
package dev.hearth.ui.chat;

import org.jspecify.annotations.NullMarked;
