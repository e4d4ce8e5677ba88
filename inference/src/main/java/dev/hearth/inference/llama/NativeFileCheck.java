package dev.hearth.inference.llama;

import dev.hearth.inference.EngineException;
import dev.hearth.inference.Failure;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/// Checks a native library file's structure before `dlopen` sees it: the dynamic loader maps the segments the
/// headers describe, and a truncated or damaged file then kills the process with SIGBUS (measured: a library cut
/// to 4 KiB crashes `ld-linux` inside `SymbolLookup.libraryLookup`). ELF and 64-bit Mach-O files are checked
/// segment by segment; anything that is not a shared library of a known format is refused.
final class NativeFileCheck {
    private NativeFileCheck() {}

    static void check(Path file) {
        try (var ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            var head = read(ch, 0, (int) Math.min(size, 64));
            if (size >= 64 && head.getInt(0) == 0x464C457F) { // "\x7fELF"
                checkElf(ch, size, head);
            } else if (size >= 32 && (head.order(ByteOrder.LITTLE_ENDIAN).getInt(0) == 0xFEEDFACF)) {
                checkMachO(ch, size);
            } else if (size >= 64 && head.get(0) == 'M' && head.get(1) == 'Z') {
                long peOffset = Integer.toUnsignedLong(head.order(ByteOrder.LITTLE_ENDIAN).getInt(0x3C));
                if (peOffset + 24 > size) throw invalid(file, "its PE header lies beyond the end of the file");
            } else {
                throw invalid(file, "it is not a shared library (ELF, Mach-O or PE)");
            }
        } catch (IOException e) {
            throw new EngineException(Failure.Kind.NATIVE_LIBRARY_MISSING, "cannot read " + file + ": " + e.getMessage(), e);
        } catch (BadFile e) {
            throw invalid(file, e.getMessage());
        }
    }

    private static EngineException invalid(Path file, String why) {
        return new EngineException(Failure.Kind.NATIVE_LIBRARY_INVALID, file + " is damaged or not a library: " + why);
    }

    private static final class BadFile extends Exception {
        private static final long serialVersionUID = 1L;

        BadFile(String message) {
            super(message, null, false, false);
        }
    }

    private static ByteBuffer read(FileChannel ch, long at, int length) throws IOException {
        var buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.hasRemaining()) {
            if (ch.read(buf, at + buf.position()) < 0) break;
        }
        return buf.flip().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void checkElf(FileChannel ch, long size, ByteBuffer head) throws IOException, BadFile {
        head.order(ByteOrder.LITTLE_ENDIAN);
        if (head.get(4) != 2) throw new BadFile("it is a 32-bit ELF file");
        if (head.get(5) != 1) throw new BadFile("it is a big-endian ELF file");
        if (head.getShort(16) != 3) throw new BadFile("it is not an ELF shared object");
        long phoff = head.getLong(0x20);
        long shoff = head.getLong(0x28);
        int phentsize = Short.toUnsignedInt(head.getShort(0x36));
        int phnum = Short.toUnsignedInt(head.getShort(0x38));
        int shentsize = Short.toUnsignedInt(head.getShort(0x3A));
        int shnum = Short.toUnsignedInt(head.getShort(0x3C));
        if (phentsize < 56 || phoff < 0 || phoff + (long) phentsize * phnum > size)
            throw new BadFile("its program headers lie beyond the end of the file");
        if (shoff < 0 || shoff + (long) shentsize * shnum > size)
            throw new BadFile("its section headers lie beyond the end of the file (truncated?)");
        var ph = read(ch, phoff, phentsize * phnum);
        for (int i = 0; i < phnum; i++) {
            int base = i * phentsize;
            long offset = ph.getLong(base + 8);
            long fileSize = ph.getLong(base + 32);
            if (offset < 0 || fileSize < 0 || offset + fileSize > size)
                throw new BadFile("segment " + i + " lies beyond the end of the file (truncated?)");
        }
    }

    private static void checkMachO(FileChannel ch, long size) throws IOException, BadFile {
        var header = read(ch, 0, 32);
        int ncmds = header.getInt(16);
        int sizeofcmds = header.getInt(20);
        if (ncmds < 0 || sizeofcmds < 0 || 32L + sizeofcmds > size) throw new BadFile("its load commands are cut off");
        var cmds = read(ch, 32, sizeofcmds);
        int at = 0;
        for (int i = 0; i < ncmds; i++) {
            if (at + 8 > sizeofcmds) throw new BadFile("its load commands are cut off");
            int cmd = cmds.getInt(at);
            int cmdsize = cmds.getInt(at + 4);
            if (cmdsize < 8 || at + cmdsize > sizeofcmds) throw new BadFile("a load command is damaged");
            if (cmd == 0x19 && cmdsize >= 72) { // LC_SEGMENT_64
                long fileoff = cmds.getLong(at + 40);
                long filesize = cmds.getLong(at + 48);
                if (fileoff < 0 || filesize < 0 || fileoff + filesize > size)
                    throw new BadFile("a segment lies beyond the end of the file (truncated?)");
            }
            at += cmdsize;
        }
    }
}
