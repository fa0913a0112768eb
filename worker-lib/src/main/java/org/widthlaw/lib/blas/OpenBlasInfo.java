package org.widthlaw.lib.blas;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import jdk.incubator.foreign.CLinker;
import jdk.incubator.foreign.FunctionDescriptor;
import jdk.incubator.foreign.MemoryAddress;
import jdk.incubator.foreign.SymbolLookup;

/**
 * What the loaded OpenBLAS says of itself: {@code openblas_get_config()} (version and build, e.g.
 * "OpenBLAS 0.3.31 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64") and {@code openblas_get_corename()}
 * (the kernel it chose for this CPU). JavaCPP's preset does not expose these two, so they are
 * called through Java 17's foreign-function API; it needs {@code --add-modules
 * jdk.incubator.foreign --enable-native-access=ALL-UNNAMED} (in the launcher's and the executors'
 * flags). Without them, or on another JDK, {@link Native} reports why and the values are
 * "unknown".
 */
final class OpenBlasInfo {
    private OpenBlasInfo() {}

    /** The config and core strings, or the reason they cannot be read. */
    record Native(String config, String core) {}

    /** Reads both strings; only called once the library is loaded into this class loader's process. */
    static Native read() {
        try {
            return new Native(call("openblas_get_config"), call("openblas_get_corename"));
        } catch (Throwable t) {
            String why = "unknown (" + t.getClass().getSimpleName() + ")";
            return new Native(why, why);
        }
    }

    private static String call(String symbol) throws Throwable {
        MemoryAddress fn = SymbolLookup.loaderLookup().lookup(symbol).orElseThrow();
        MethodHandle mh = CLinker.getInstance()
                .downcallHandle(
                        fn, MethodType.methodType(MemoryAddress.class), FunctionDescriptor.of(CLinker.C_POINTER));
        return CLinker.toJavaString((MemoryAddress) mh.invokeExact()).trim();
    }
}
