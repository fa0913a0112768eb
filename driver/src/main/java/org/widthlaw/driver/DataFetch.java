package org.widthlaw.driver;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.widthlaw.lib.data.DataFiles;

/**
 * Reads a job's data files once, on the driver, through Hadoop's FileSystem API (a local path or
 * any URI: {@code file:}, {@code hdfs:}, {@code s3a:}) and registers their bytes in
 * {@link DataFiles}; {@link Sweep} broadcasts them to the executors (docs/ARCHITECTURE.md,
 * "Distribution"). Every size is bounded before anything is allocated.
 */
final class DataFetch {
    /** The largest data file read, in bytes. */
    static final long MAX_BYTES = 1L << 30;

    private DataFetch() {}

    /**
     * Reads and registers every file (again, when it was registered before: a job parsed now sees
     * the bytes there are now); a JobException naming data.path when one cannot be read.
     */
    static void fetch(List<String> files) {
        for (String f : files) DataFiles.register(f, read(f));
    }

    /** Reads and registers the files not registered yet. */
    static void fetchMissing(List<String> files) {
        for (String f : files) {
            if (DataFiles.shipped(f) == null) DataFiles.register(f, read(f));
        }
    }

    /** The registered bytes of the files, for the broadcast. */
    static Map<String, byte[]> shipped(List<String> files) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String f : files) {
            byte[] b = DataFiles.shipped(f);
            if (b == null) throw new IllegalStateException("data file not fetched: " + f);
            out.put(f, b);
        }
        return out;
    }

    private static byte[] read(String file) {
        try {
            Path p = new Path(file);
            FileSystem fs = p.getFileSystem(new Configuration());
            if (!fs.exists(p)) throw new JobException("data.path", "file not found: " + file);
            FileStatus st = fs.getFileStatus(p);
            if (st.isDirectory()) throw new JobException("data.path", file + " is a directory, not a data file");
            if (st.getLen() > MAX_BYTES) {
                throw new JobException(
                        "data.path", file + " has " + st.getLen() + " bytes; at most " + MAX_BYTES + " are read");
            }
            try (InputStream in = fs.open(p)) {
                byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) {
                    throw new JobException("data.path", file + " holds more than " + MAX_BYTES + " bytes");
                }
                return bytes;
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new JobException("data.path", "cannot read " + file + ": " + e.getMessage());
        }
    }
}
