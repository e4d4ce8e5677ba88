package dev.hearth.inference.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.project.Declarations.Declaration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeclarationsTest {
    static List<String> signatures(String file, String text) {
        return Declarations.of(file, text).stream().map(Declaration::signature).toList();
    }

    static List<String> names(String file, String text) {
        return Declarations.of(file, text).stream().map(Declaration::name).toList();
    }

    @Test
    void javaTypesMethodsAndConstructors() {
        var src = """
                package x;
                /** A doc. */
                @Deprecated
                public final class Store<T> implements AutoCloseable {
                    private final int size = 3;
                    public Store(int size) {
                        this.size = size;
                    }
                    public static <K> List<K> keys(Map<K, T> map, int limit) throws IOException {
                        if (limit > 0) {
                            return List.of();
                        }
                        return helper(map);
                    }
                    record Row(long id, String name) {}
                    abstract void close();
                }
                """;
        assertEquals(List.of("public final class Store<T> implements AutoCloseable", "public Store(int size)",
                "public static <K> List<K> keys(Map<K, T> map, int limit) throws IOException",
                "record Row(long id, String name)", "abstract void close()"), signatures("Store.java", src));
    }

    @Test
    void kotlinClassesObjectsAndFunctions() {
        var src = """
                data class Point(val x: Int, val y: Int)
                object Registry {
                    fun register(name: String): Boolean {
                        return true
                    }
                }
                suspend fun load(url: String): String = fetch(url)
                """;
        assertEquals(List.of("Point", "Registry", "register", "load"), names("a.kt", src));
    }

    @Test
    void pythonClassesAndDefsWithTheirDepth() {
        var src = """
                import os

                class Model(Base):
                    def __init__(self, path: str) -> None:
                        self.path = path

                    async def run(self, *args, **kw):
                        def inner():
                            pass

                def main():
                    pass
                """;
        var d = Declarations.of("m.py", src);
        assertEquals(List.of("Model", "__init__", "run", "main"), d.stream().map(Declaration::name).toList());
        assertEquals("def __init__(self, path: str) -> None", d.get(1).signature());
        assertEquals(1, d.get(1).depth());
        assertEquals(0, d.get(3).depth());
    }

    @Test
    void javascriptAndTypescript() {
        var src = """
                export default class Widget extends Base {
                  constructor(props) {
                    super(props);
                  }
                  async render(target: Element): Promise<void> {
                    if (x) {
                    }
                  }
                }
                export function helper(a, b) {
                }
                export const add = (a: number, b: number): number => a + b;
                interface Shape { area(): number }
                type Id = string;
                """;
        assertEquals(List.of("Widget", "constructor", "render", "helper", "add", "Shape", "Id"), names("w.ts", src));
    }

    @Test
    void goFunctionsMethodsAndTypes() {
        var src = """
                package main

                type Server struct {
                	addr string
                }

                func (s *Server) Start(ctx context.Context) error {
                	return nil
                }

                func main() {
                }
                """;
        assertEquals(List.of("type Server struct", "func (s *Server) Start(ctx context.Context) error", "func main()"),
                signatures("main.go", src));
    }

    @Test
    void rustItems() {
        var src = """
                pub struct Engine {
                    n: usize,
                }
                impl Engine {
                    pub fn new(n: usize) -> Self {
                        Self { n }
                    }
                }
                pub(crate) async fn run() -> Result<()> {
                }
                trait Shape {}
                """;
        assertEquals(List.of("Engine", "Engine", "new", "run", "Shape"), names("lib.rs", src));
        assertTrue(signatures("lib.rs", src).contains("pub fn new(n: usize) -> Self"));
    }

    @Test
    void cAndCppDefinitions() {
        var src = """
                #include <stdio.h>
                namespace app {
                class Buffer {
                };
                static int count_items(const char *s, size_t n) {
                    if (n == 0) {
                        return 0;
                    }
                    return helper(s);
                }
                void Buffer::resize(size_t n) const {
                }
                }
                """;
        assertEquals(List.of("app", "Buffer", "count_items", "Buffer::resize"), names("b.cpp", src));
    }

    @Test
    void unknownLanguagesHaveNone() {
        assertEquals(List.of(), Declarations.of("README.md", "# class Foo\ndef bar():"));
    }
}
