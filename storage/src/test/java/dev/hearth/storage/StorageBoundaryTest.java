package dev.hearth.storage;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/// The session log is shared by the window, the CLI and worker processes, and must stay usable without a display
/// or an engine: storage never depends on JavaFX or on `inference` (the app maps engine events to these records).
class StorageBoundaryTest {
    // Each rule's check(...) is the assertion: it throws an AssertionError listing every violating class.

    @Test
    void storageDependsOnNeitherJavafxNorTheEngine() {
        var classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.hearth.storage");
        noClasses().should().dependOnClassesThat().resideInAnyPackage("javafx..", "dev.hearth.inference..", "dev.hearth.ui..")
                .check(classes);
    }
}
