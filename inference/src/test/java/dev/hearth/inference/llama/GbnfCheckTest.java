package dev.hearth.inference.llama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class GbnfCheckTest {
    @Test
    void validGrammarsPass() {
        assertNull(GbnfCheck.problem("root ::= [a-e]+ \"!\""));
        assertNull(GbnfCheck.problem("""
                # a comment
                root   ::= object
                object ::= "{" ws ( string ":" ws value ( "," ws string ":" ws value )* )? "}"
                value  ::= object | string | [0-9]{1,3} | "\\u00e9" | [^"\\\\\\x7F\\x00-\\x1F]
                string ::= "\\"" ( [^"\\\\] | "\\\\" ["\\\\/bfnrt] )* "\\"" ws
                ws ::= ([ \\t\\n] ws)?
                """));
    }

    @Test
    void brokenGrammarsAreRefusedWithTheReason() {
        assertEquals("expecting ')' (line 1)", GbnfCheck.problem("root ::= (unclosed"));
        assertEquals("undefined rule identifier 'b'", GbnfCheck.problem("root ::= \"a\" b"));
        assertEquals("the grammar has no 'root' rule", GbnfCheck.problem("start ::= \"a\""));
        assertEquals("expecting ::= (line 1)", GbnfCheck.problem("root = \"a\""));
        assertEquals("expecting an item before '*' (line 1)", GbnfCheck.problem("root ::= *"));
    }
}
