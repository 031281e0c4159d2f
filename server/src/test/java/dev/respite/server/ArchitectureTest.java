package dev.respite.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.respite.server.net.Client;
import dev.respite.storage.Database;
import dev.respite.storage.Keyspace;
import dev.respite.storage.eviction.Evictor;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules the module layout relies on, checked on the compiled classes. Each rule fails when the
 * classes it speaks of are missing too, so a renamed package cannot make it pass vacuously.
 */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.respite.server", "dev.respite.storage", "dev.respite.protocol");

    @Test
    void commandFamiliesReachTheServerOnlyThroughTheirContexts() {
        noClasses()
                .that()
                .resideInAPackage("dev.respite.server.commands..")
                .should()
                .dependOnClassesThat()
                .belongToAnyOf(RespiteServer.class)
                .check(MAIN);
    }

    @Test
    void clientsDoNotReachTheServer() {
        noClasses()
                .that()
                .belongToAnyOf(Client.class)
                .should()
                .dependOnClassesThat()
                .belongToAnyOf(RespiteServer.class)
                .check(MAIN);
    }

    @Test
    void storageAndProtocolDependOnNothingOfTheServer() {
        noClasses()
                .that()
                .resideInAnyPackage("dev.respite.storage..", "dev.respite.protocol..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.respite.server..")
                .check(MAIN);
    }

    @Test
    void theKeyspaceDoesNotOwnTheEvictor() {
        noClasses()
                .that()
                .belongToAnyOf(Keyspace.class, Database.class)
                .should()
                .dependOnClassesThat()
                .belongToAnyOf(Evictor.class)
                .check(MAIN);
    }
}
