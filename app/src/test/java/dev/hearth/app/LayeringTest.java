package dev.hearth.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/// Holds the architecture's lines. `inference` and `storage` stay free of JavaFX so the engine can run in a worker
/// process without a toolkit and the session log can be used from the CLI; they never depend on each other so
/// either can change alone; only `dev.hearth.inference.llama` touches native memory, so every `java.lang.foreign`
/// call sits in one reviewed place.
class LayeringTest {
    // Each rule's check(...) is the assertion: it throws an AssertionError listing every violating class.
    private static JavaClasses hearth;

    @BeforeAll
    static void importHearth() {
        hearth = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.hearth");
    }

    @Test
    void inferenceAndStorageNeverUseJavaFx() {
        noClasses().that().resideInAnyPackage("dev.hearth.inference..", "dev.hearth.storage..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "atlantafx..")
                .because("the engine worker and the CLI run without a UI toolkit")
                .check(hearth);
    }

    @Test
    void inferenceNeverUsesStorage() {
        noClasses().that().resideInAPackage("dev.hearth.inference..")
                .should().dependOnClassesThat().resideInAPackage("dev.hearth.storage..")
                .check(hearth);
    }

    @Test
    void storageNeverUsesInference() {
        noClasses().that().resideInAPackage("dev.hearth.storage..")
                .should().dependOnClassesThat().resideInAPackage("dev.hearth.inference..")
                .check(hearth);
    }

    @Test
    void lowerModulesNeverUseUiOrApp() {
        noClasses().that().resideInAnyPackage("dev.hearth.inference..", "dev.hearth.storage..", "dev.hearth.ui..")
                .should().dependOnClassesThat().resideInAPackage("dev.hearth.app..")
                .check(hearth);
        noClasses().that().resideInAnyPackage("dev.hearth.inference..", "dev.hearth.storage..")
                .should().dependOnClassesThat().resideInAPackage("dev.hearth.ui..")
                .check(hearth);
    }

    @Test
    void onlyTheLlamaPackageTouchesNativeMemory() {
        noClasses().that().resideOutsideOfPackage("dev.hearth.inference.llama..")
                .should().dependOnClassesThat().resideInAPackage("java.lang.foreign..")
                .because("every java.lang.foreign call lives in one package behind a small Java API")
                .check(hearth);
    }
}
