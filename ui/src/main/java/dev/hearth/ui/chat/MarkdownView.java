package dev.hearth.ui.chat;

import atlantafx.base.theme.Styles;
import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.text.TextAlignment;
import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.ext.gfm.strikethrough.Strikethrough;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableHead;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.ListItem;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.markdown.MarkdownRenderer;
import org.fxmisc.richtext.CodeArea;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/// A finished answer rendered from Markdown (commonmark-java): headings, paragraphs with emphasis, strikethrough,
/// inline code and links (bare URLs too), lists, quotes, rules, GitHub tables as a grid with a Copy button (Markdown
/// and HTML on the clipboard), and code blocks as read-only RichTextFX `CodeArea`s with simple highlighting and a
/// Copy button. Parsed once per answer ([ChatView] caches the parsed document).
final class MarkdownView extends VBox {
    /// GitHub's tables and ~~strikethrough~~, and bare URLs as links.
    private static final List<org.commonmark.Extension> EXTENSIONS = List.of(TablesExtension.create(),
            StrikethroughExtension.create(), AutolinkExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();

    MarkdownView(org.commonmark.node.Node document) {
        super(6);
        getStyleClass().add("chat-markdown");
        getChildren().addAll(blocks(document));
    }

    /// One node per top-level block of a parsed document.
    static List<Node> blocks(org.commonmark.node.Node document) {
        var nodes = new ArrayList<Node>();
        for (var block = document.getFirstChild(); block != null; block = block.getNext()) nodes.add(block(block));
        return nodes;
    }

    static org.commonmark.node.Node parse(String markdown) {
        return PARSER.parse(markdown);
    }

    private static Node block(org.commonmark.node.Node node) {
        return switch (node) {
            case Heading h -> {
                var flow = inline(h);
                flow.getStyleClass().addAll("chat-heading", "chat-heading-" + Math.min(h.getLevel(), 3));
                yield flow;
            }
            case Paragraph p -> inline(p);
            case FencedCodeBlock code -> codeBlock(strip(code.getLiteral()), code.getInfo() == null ? "" : code.getInfo().strip());
            case IndentedCodeBlock code -> codeBlock(strip(code.getLiteral()), "");
            case BulletList list -> list(list, false, 1);
            case OrderedList list -> list(list, true, list.getMarkerStartNumber() == null ? 1 : list.getMarkerStartNumber());
            case BlockQuote quote -> {
                var box = new VBox(4);
                box.getStyleClass().add("chat-quote");
                for (var c = quote.getFirstChild(); c != null; c = c.getNext()) box.getChildren().add(block(c));
                yield box;
            }
            case ThematicBreak _ -> new Separator();
            case HtmlBlock html -> plain(html.getLiteral());
            case TableBlock table -> table(table);
            default -> {
                var box = new VBox(4);
                for (var c = node.getFirstChild(); c != null; c = c.getNext()) box.getChildren().add(block(c));
                yield box;
            }
        };
    }

    private static Node list(org.commonmark.node.Node list, boolean ordered, int start) {
        var box = new VBox(2);
        box.getStyleClass().add("chat-list");
        int n = start;
        for (var item = list.getFirstChild(); item != null; item = item.getNext()) {
            if (!(item instanceof ListItem)) continue;
            var marker = new Label(ordered ? (n++) + "." : "•");
            marker.setMinWidth(Region.USE_PREF_SIZE);
            marker.getStyleClass().add("chat-list-marker");
            var content = new VBox(2);
            for (var c = item.getFirstChild(); c != null; c = c.getNext()) content.getChildren().add(block(c));
            HBox.setHgrow(content, Priority.ALWAYS);
            var row = new HBox(6, marker, content);
            box.getChildren().add(row);
        }
        return box;
    }

    private static TextFlow inline(org.commonmark.node.Node parent) {
        var texts = new ArrayList<Node>();
        collect(parent, texts, false, false);
        var flow = new TextFlow(texts.toArray(Node[]::new));
        flow.getStyleClass().add("chat-paragraph");
        return flow;
    }

    private static void collect(org.commonmark.node.Node parent, List<Node> out, boolean bold, boolean italic) {
        for (var n = parent.getFirstChild(); n != null; n = n.getNext()) {
            switch (n) {
                case org.commonmark.node.Text t -> out.add(text(t.getLiteral(), bold, italic));
                case Code c -> {
                    var t = new Text(c.getLiteral());
                    t.getStyleClass().addAll("chat-text", "chat-inline-code");
                    out.add(t);
                }
                case Emphasis e -> collect(e, out, bold, true);
                case StrongEmphasis s -> collect(s, out, true, italic);
                case SoftLineBreak _ -> out.add(text(" ", bold, italic));
                case HardLineBreak _ -> out.add(text("\n", bold, italic));
                case Link l -> {
                    var before = out.size();
                    collect(l, out, bold, italic);
                    for (int i = before; i < out.size(); i++) out.get(i).getStyleClass().add("chat-link");
                }
                case HtmlInline h -> out.add(text(h.getLiteral(), bold, italic));
                case Strikethrough st -> {
                    var before = out.size();
                    collect(st, out, bold, italic);
                    for (int i = before; i < out.size(); i++) out.get(i).getStyleClass().add("chat-strike");
                }
                default -> collect(n, out, bold, italic);
            }
        }
    }

    private static Text text(String s, boolean bold, boolean italic) {
        var t = new Text(s);
        t.getStyleClass().add("chat-text");
        if (bold) t.getStyleClass().add("chat-bold");
        if (italic) t.getStyleClass().add("chat-italic");
        return t;
    }

    static TextFlow plain(String s) {
        var flow = new TextFlow(text(s, false, false));
        flow.getStyleClass().add("chat-paragraph");
        return flow;
    }

    /// A table as a grid: a header row, then the body; each cell wraps within its column and keeps the column's
    /// alignment. Copy puts the table on the clipboard as Markdown (plain text) and as HTML (for a spreadsheet).
    private static Node table(TableBlock table) {
        var grid = new GridPane();
        grid.getStyleClass().add("chat-table");
        int row = 0;
        int columns = 0;
        for (var section = table.getFirstChild(); section != null; section = section.getNext()) {
            boolean head = section instanceof TableHead;
            for (var r = section.getFirstChild(); r != null; r = r.getNext()) {
                if (!(r instanceof TableRow)) continue;
                int column = 0;
                for (var c = r.getFirstChild(); c != null; c = c.getNext()) {
                    if (!(c instanceof TableCell cell)) continue;
                    var flow = inline(cell);
                    flow.getStyleClass().add(head ? "chat-table-header" : "chat-table-cell");
                    if (head) flow.getChildren().forEach(t -> t.getStyleClass().add("chat-bold"));
                    if (cell.getAlignment() != null) flow.setTextAlignment(switch (cell.getAlignment()) {
                        case LEFT -> TextAlignment.LEFT;
                        case CENTER -> TextAlignment.CENTER;
                        case RIGHT -> TextAlignment.RIGHT;
                    });
                    flow.setMaxWidth(Double.MAX_VALUE);
                    grid.add(flow, column++, row);
                }
                columns = Math.max(columns, column);
                row++;
            }
        }
        for (int i = 0; i < columns; i++) {
            var constraints = new ColumnConstraints();
            constraints.setHgrow(Priority.SOMETIMES);
            constraints.setFillWidth(true);
            grid.getColumnConstraints().add(constraints);
        }
        grid.setAccessibleText("Table, " + columns + " columns, " + Math.max(0, row - 1) + " rows");
        var markdown = MARKDOWN.render(table).strip();
        var html = HTML.render(table);
        var copy = new Button("Copy", new FontIcon(Feather.COPY));
        copy.getStyleClass().addAll(Styles.FLAT, Styles.SMALL, "chat-copy");
        copy.setAccessibleText("Copy this table");
        copy.setOnAction(_ -> {
            var content = new ClipboardContent();
            content.putString(markdown);
            content.putHtml(html);
            Clipboard.getSystemClipboard().setContent(content);
            copy.setText("Copied");
        });
        var spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        var bar = new HBox(6, spacer, copy);
        bar.setAlignment(Pos.CENTER_RIGHT);
        var box = new VBox(2, bar, grid);
        box.getStyleClass().add("chat-table-block");
        box.getProperties().put("markdown", markdown);
        return box;
    }

    private static final MarkdownRenderer MARKDOWN = MarkdownRenderer.builder().extensions(EXTENSIONS).build();
    private static final HtmlRenderer HTML = HtmlRenderer.builder().extensions(EXTENSIONS).escapeHtml(true).build();

    private static Node codeBlock(String code, String language) {
        var area = new CodeArea(code);
        area.setEditable(false);
        area.getStyleClass().add("chat-code-area");
        area.setStyleSpans(0, CodeHighlighter.highlight(code, language));
        long lines = code.lines().count();
        area.setPrefHeight(Math.max(1, lines) * 17.5 + 14);
        area.setMinHeight(Region.USE_PREF_SIZE);
        area.setMaxHeight(Region.USE_PREF_SIZE);
        area.setAccessibleText("Code" + (language.isEmpty() ? "" : " in " + language));
        var copy = new Button("Copy", new FontIcon(Feather.COPY));
        copy.getStyleClass().addAll(Styles.FLAT, Styles.SMALL, "chat-copy");
        copy.setAccessibleText("Copy this code");
        copy.setOnAction(_ -> {
            var content = new ClipboardContent();
            content.putString(code);
            Clipboard.getSystemClipboard().setContent(content);
            copy.setText("Copied");
        });
        var lang = new Label(language);
        lang.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        var spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        var bar = new HBox(6, lang, spacer, copy);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(0, 4, 0, 8));
        var box = new BorderPane(area);
        box.setTop(bar);
        box.getStyleClass().add("chat-code-block");
        return box;
    }

    private static String strip(String literal) {
        return literal.endsWith("\n") ? literal.substring(0, literal.length() - 1) : literal;
    }
}
